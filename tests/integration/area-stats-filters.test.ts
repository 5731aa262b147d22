/**
 * /api/v1/stats/areas (the map's choropleth and rate shading, the analysis bars) counts under
 * exactly the filters the incident points honour (issue 13): the place (circle, polygon, stored
 * corridor, precise=) and the further filters (lens, sub_type, actor, status, reliability), on
 * PGlite and PostgreSQL, on the demo data. For each filter, every level's total and one area's
 * count equal /api/v1/incidents' total for the same query — and differ from the unfiltered
 * count, so that a filter /stats/areas ignored would show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { GET as areasGet } from '../../src/routes/api/v1/stats/areas/+server.ts';
import { GET as geojsonGet } from '../../src/routes/api/v1/incidents/+server.ts';
import { POST as saveGeometry } from '../../src/routes/api/v1/filter-geometries/+server.ts';
import { analysisPaths } from '../../src/lib/server/analysis/openapi.ts';
import { callRoute } from './helpers/route.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';

import { BAGHDAD, MOSUL_BOX, ROAD } from './helpers/places.ts';

interface ByArea {
	total: number;
	areas: { pcode: string; n: number }[];
	unassigned: { n: number };
}

describe.each(engineNames())('/stats/areas follows every map filter on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	/** /api/v1/incidents' total for a query string (the incident layer's rule). */
	async function incidents(as: CallerUser, q: string): Promise<number> {
		const r = await callRoute(geojsonGet, as, `/api/v1/incidents?${q}&limit=1`);
		expect(r.status, r.text).toBe(200);
		return Number(r.body.total);
	}
	async function areas(as: CallerUser, q: string, level: 1 | 2 | 3): Promise<ByArea> {
		const r = await callRoute<ByArea>(areasGet, as, `/api/v1/stats/areas?level=${level}&${q}`);
		expect(r.status, r.text).toBe(200);
		// The total is the areas plus the unassigned: nothing counted twice or lost.
		const sum = r.body.areas.reduce((s, a) => s + a.n, 0) + r.body.unassigned.n;
		expect(sum).toBe(r.body.total);
		return r.body;
	}
	/** Every level's total, and the busiest governorate's count, equal the incident layer's. */
	async function agrees(as: CallerUser, q: string) {
		const n = await incidents(as, q);
		for (const level of [1, 2, 3] as const) {
			expect((await areas(as, q, level)).total, `${q} level ${level}`).toBe(n);
		}
		const top = (await areas(as, q, 1)).areas[0];
		expect(top.n, `${q} in ${top.pcode}`).toBe(await incidents(as, `${q}&area=${top.pcode}`));
		return n;
	}
	/** The filter must change the answer, or the test could not tell it was ignored. */
	async function filters(as: CallerUser, q: string, base = 'from=2000-01-01') {
		const n = await agrees(as, `${base}&${q}`);
		expect(n, q).toBeGreaterThan(0);
		expect(n, q).toBeLessThan(await incidents(as, base));
	}

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
		setDb(e.db);
		// Some demo incidents marked by the lens and graded, so each filter has something to find.
		await e.db.queryOwner(
			`update public.incidents set affects_us = true, source_reliability = 'B'
			  where id in (select id from public.incidents order by id limit 7)`
		);
		await e.db.queryOwner(
			`update public.incidents set serious = true, source_reliability = 'E'
			  where id in (select id from public.incidents order by id desc limit 5)`
		);
	}, 120_000);
	afterAll(async () => e?.close());

	it('without a place or further filter it still agrees (the summary may answer)', async () => {
		await agrees(u.analyst, 'from=2000-01-01');
		await agrees(u.viewer, '');
	});

	it('the place: a circle, a polygon, a stored corridor, precise locations only', async () => {
		await filters(u.analyst, `lat=${BAGHDAD.lat}&lon=${BAGHDAD.lon}&within_km=20`);
		await filters(u.analyst, `geometry=${encodeURIComponent(JSON.stringify(MOSUL_BOX))}`);
		const road = await callRoute(saveGeometry, u.analyst, '/api/v1/filter-geometries', {
			body: ROAD
		});
		await filters(u.analyst, `geometry_id=${road.body.id}&within_km=5`);
		await filters(
			u.analyst,
			`lat=${BAGHDAD.lat}&lon=${BAGHDAD.lon}&within_km=20&precise=true`,
			`lat=${BAGHDAD.lat}&lon=${BAGHDAD.lon}&within_km=20`
		);
		// A viewer: on the coarse point location fuzzing shows them, under their RLS.
		await agrees(u.viewer, `lat=${BAGHDAD.lat}&lon=${BAGHDAD.lon}&within_km=20`);
	});

	it('the NGO lens, sub-event type, actor, status and reliability', async () => {
		await filters(u.analyst, 'lens=us');
		await filters(u.analyst, 'lens=us,serious');
		await filters(u.analyst, 'reliability=b,E');
		const [sub] = await sqlAs<{ s: string }>(
			e.db,
			u.analyst,
			`select sub_event_type as s from public.incidents where sub_event_type is not null
			  group by 1 order by count(*) desc limit 1`
		);
		await filters(u.analyst, `sub_type=${encodeURIComponent(sub.s)}`);
		const [actor] = await sqlAs<{ id: string }>(
			e.db,
			u.analyst,
			`select actor1_id as id from public.incidents where actor1_id is not null
			  group by 1 order by count(*) desc limit 1`
		);
		await filters(u.analyst, `actor=${actor.id}`);
		await e.db.queryOwner(
			`update public.incidents set status = 'reported'
			  where id in (select id from public.incidents order by id limit 3)`
		);
		await filters(u.analyst, 'status=verified');
		// With the shared filters and a place: all of them apply together.
		await filters(
			u.analyst,
			`type=battles&status=verified&lat=${BAGHDAD.lat}&lon=${BAGHDAD.lon}&within_km=50`,
			'from=2000-01-01&type=battles'
		);
	});

	it('a bad place or further filter is a 400 naming the parameter', async () => {
		for (const [q, param] of [
			['lens=friends', 'lens'],
			['actor=bob', 'actor'],
			['lat=36&lon=43', 'within_km']
		]) {
			const r = await callRoute(areasGet, u.analyst, `/api/v1/stats/areas?level=1&${q}`);
			expect(r.status, q).toBe(400);
			expect(r.body.parameter).toBe(param);
		}
	});

	it('the OpenAPI description lists every filter it takes', () => {
		const doc = JSON.stringify(analysisPaths['/stats/areas'].get?.parameters);
		for (const name of [
			...['geometry', 'geometry_id', 'lat', 'lon', 'within_km', 'precise'],
			...['lens', 'sub_type', 'actor', 'status', 'reliability']
		])
			expect(doc, name).toContain(`"name":"${name}"`);
	});
});
