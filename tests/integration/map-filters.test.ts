/**
 * The map's filters on every incident emitter (issue 13), on PGlite and PostgreSQL, on the demo
 * data: the place (lat/lon/within_km, geometry=, geometry_id=, a corridor) and the further filters
 * (lens, sub_type, actor, status, reliability) give the list (/incidents/report), the GeoJSON API
 * (/incidents), the map (/map/incidents), the counts and the exports the same totals, each equal
 * to a count computed independently with ST_DWithin / ST_Intersects as the same user under RLS.
 * A viewer is filtered on the coarse point location fuzzing shows them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { GET as countsGet } from '../../src/routes/api/v1/incidents/counts/+server.ts';
import { GET as listGet } from '../../src/routes/api/v1/incidents/report/+server.ts';
import { GET as geojsonGet } from '../../src/routes/api/v1/incidents/+server.ts';
import { GET as mapGet } from '../../src/routes/api/v1/map/incidents/+server.ts';
import { GET as exportGet } from '../../src/routes/api/v1/exports/+server.ts';
import { POST as saveGeometry } from '../../src/routes/api/v1/filter-geometries/+server.ts';
import { callRoute } from './helpers/route.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';

import { BAGHDAD, DOHUK, MOSUL_BOX, ROAD } from './helpers/places.ts';
const IRAQ = 'bbox=38,29,49,38';

describe.each(engineNames())('map filters on every incident emitter on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	const count = async (as: CallerUser, where: string, params: unknown[] = []) => {
		const [r] = await sqlAs<{ n: number }>(
			e.db,
			as,
			`select count(*)::int as n from public.incidents i where ${where}`,
			params
		);
		return r.n;
	};
	/** The total each emitter gives for one query string, as the caller. */
	async function totals(as: CallerUser, q: string) {
		const list = await callRoute(listGet, as, `/api/v1/incidents/report?${q}&size=5`);
		expect(list.status, list.text).toBe(200);
		const geo = await callRoute(geojsonGet, as, `/api/v1/incidents?${q}&limit=1`);
		expect(geo.status, geo.text).toBe(200);
		const map = await callRoute(mapGet, as, `/api/v1/map/incidents?${q}&${IRAQ}&limit=1`);
		expect(map.status, map.text).toBe(200);
		const counts = await callRoute(countsGet, as, `/api/v1/incidents/counts?${q}`);
		expect(counts.status, counts.text).toBe(200);
		const file = await callRoute(exportGet, as, `/api/v1/exports?${q}&format=geojson`);
		expect(file.status, file.text).toBe(200);
		return {
			list: Number(list.body.total),
			geojson: Number(geo.body.total),
			map: Number(map.body.total),
			counts: Number(counts.body.total),
			export: JSON.parse(file.text).features.length as number
		};
	}
	const allEqual = (t: Record<string, number>, n: number) =>
		expect(t).toEqual({ list: n, geojson: n, map: n, counts: n, export: n });

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
		setDb(e.db);
	}, 120_000);
	afterAll(async () => e?.close());

	it('a circle (lat/lon/within_km) equals ST_DWithin on every emitter', async () => {
		const n = await count(
			u.analyst,
			`st_dwithin(i.geom::geography, st_setsrid(st_makepoint($1, $2), 4326)::geography, 20000)`,
			[BAGHDAD.lon, BAGHDAD.lat]
		);
		expect(n).toBeGreaterThan(10);
		allEqual(await totals(u.analyst, `lat=${BAGHDAD.lat}&lon=${BAGHDAD.lon}&within_km=20`), n);
	});

	it('a polygon (geometry=, and the same stored as geometry_id=) equals ST_Intersects', async () => {
		const n = await count(
			u.analyst,
			`st_intersects(i.geom, st_setsrid(st_geomfromgeojson($1), 4326))`,
			[JSON.stringify(MOSUL_BOX)]
		);
		expect(n).toBeGreaterThan(10);
		allEqual(
			await totals(u.analyst, `geometry=${encodeURIComponent(JSON.stringify(MOSUL_BOX))}`),
			n
		);
		const saved = await callRoute(saveGeometry, u.viewer, '/api/v1/filter-geometries', {
			body: MOSUL_BOX
		});
		allEqual(await totals(u.analyst, `geometry_id=${saved.body.id}`), n);
		// The list's rows are inside the polygon, as a person reading it would check.
		const rows = await callRoute(
			listGet,
			u.analyst,
			`/api/v1/incidents/report?geometry_id=${saved.body.id}&size=50`
		);
		for (const r of rows.body.rows) {
			expect(r.lon).toBeGreaterThanOrEqual(42.9);
			expect(r.lon).toBeLessThanOrEqual(43.4);
			expect(r.lat).toBeGreaterThanOrEqual(36.2);
			expect(r.lat).toBeLessThanOrEqual(36.5);
		}
	});

	it('a corridor (a stored line with within_km) equals ST_DWithin around the line', async () => {
		const saved = await callRoute(saveGeometry, u.analyst, '/api/v1/filter-geometries', {
			body: ROAD
		});
		const n = await count(
			u.analyst,
			`st_dwithin(i.geom::geography, st_setsrid(st_geomfromgeojson($1), 4326)::geography, 5000)`,
			[JSON.stringify(ROAD)]
		);
		expect(n).toBeGreaterThan(10);
		allEqual(await totals(u.analyst, `geometry_id=${saved.body.id}&within_km=5`), n);
	});

	it('a viewer is filtered on the coarse point and under their RLS', async () => {
		await e.db.queryOwner(
			`insert into public.incidents (event_date, event_type, geom, fatalities, status, sensitive_location)
			 values ('2021-03-02', 'battles', st_setsrid(st_makepoint($1, $2), 4326), 0, 'verified', true)`,
			[DOHUK.lon + 0.005, DOHUK.lat]
		);
		for (const km of [1, 25]) {
			const n = await count(
				u.viewer,
				`st_dwithin(coalesce(i.geom_coarse, i.geom)::geography, st_setsrid(st_makepoint($1, $2), 4326)::geography, $3)`,
				[DOHUK.lon, DOHUK.lat, km * 1000]
			);
			allEqual(await totals(u.viewer, `lat=${DOHUK.lat}&lon=${DOHUK.lon}&within_km=${km}`), n);
		}
		// At 1 km the analyst sees the exact point the viewer does not.
		const exact = await count(
			u.analyst,
			`st_dwithin(i.geom::geography, st_setsrid(st_makepoint($1, $2), 4326)::geography, 1000)`,
			[DOHUK.lon, DOHUK.lat]
		);
		const viewer = await count(
			u.viewer,
			`st_dwithin(coalesce(i.geom_coarse, i.geom)::geography, st_setsrid(st_makepoint($1, $2), 4326)::geography, 1000)`,
			[DOHUK.lon, DOHUK.lat]
		);
		expect(exact).not.toBe(viewer);
	});

	it('the NGO lens, sub-event type, actor, status and reliability equal plain SQL', async () => {
		// Some demo incidents marked by the lens and graded, so that each filter has something to find.
		await e.db.queryOwner(
			`update public.incidents set affects_us = true, source_reliability = 'B'
			  where id in (select id from public.incidents order by id limit 7)`
		);
		await e.db.queryOwner(
			`update public.incidents set serious = true, source_reliability = 'E'
			  where id in (select id from public.incidents order by id desc limit 5)`
		);
		const lens = await count(u.analyst, `i.affects_us or i.serious`);
		expect(lens).toBeGreaterThanOrEqual(7);
		allEqual(await totals(u.analyst, 'lens=us,serious'), lens);
		allEqual(await totals(u.analyst, 'lens=us'), await count(u.analyst, 'i.affects_us'));
		allEqual(
			await totals(u.analyst, 'reliability=b,E'),
			await count(u.analyst, `i.source_reliability in ('B', 'E')`)
		);
		const [sub] = await sqlAs<{ s: string; n: number }>(
			e.db,
			u.analyst,
			`select sub_event_type as s, count(*)::int as n from public.incidents
			  where sub_event_type is not null group by 1 order by 2 desc limit 1`
		);
		expect(sub.n).toBeGreaterThan(0);
		allEqual(await totals(u.analyst, `sub_type=${encodeURIComponent(sub.s)}`), sub.n);
		const [actor] = await sqlAs<{ id: string }>(
			e.db,
			u.analyst,
			`select actor1_id as id from public.incidents where actor1_id is not null
			  group by 1 order by count(*) desc limit 1`
		);
		const byActor = await count(u.analyst, `$1 in (i.actor1_id, i.actor2_id)`, [actor.id]);
		expect(byActor).toBeGreaterThan(0);
		allEqual(await totals(u.analyst, `actor=${actor.id}`), byActor);
		allEqual(
			await totals(u.analyst, 'status=verified'),
			await count(u.analyst, `i.status = 'verified'`)
		);
		// Combined with a place: both apply.
		const both = await count(
			u.analyst,
			`i.status = 'verified' and st_dwithin(i.geom::geography, st_setsrid(st_makepoint($1, $2), 4326)::geography, 20000)`,
			[BAGHDAD.lon, BAGHDAD.lat]
		);
		allEqual(
			await totals(u.analyst, `status=verified&lat=${BAGHDAD.lat}&lon=${BAGHDAD.lon}&within_km=20`),
			both
		);
	});

	it('bad filters get a 400 naming the parameter on the list and the exports', async () => {
		for (const [q, param] of [
			['lens=friends', 'lens'],
			['reliability=Z', 'reliability'],
			['actor=bob', 'actor'],
			['lat=36&lon=43', 'within_km']
		]) {
			const list = await callRoute(listGet, u.analyst, `/api/v1/incidents/report?${q}`);
			expect(list.status).toBe(400);
			expect(list.body.parameter).toBe(param);
			const file = await callRoute(exportGet, u.analyst, `/api/v1/exports?${q}&format=csv`);
			expect(file.status).toBe(400);
		}
		const line = await callRoute(
			listGet,
			u.analyst,
			`/api/v1/incidents/report?geometry=${encodeURIComponent(JSON.stringify(ROAD))}`
		);
		expect(line.status).toBe(400);
		expect(line.body.message).toMatch(/within_km/);
	});

	it('the export is on record with its place', async () => {
		await callRoute(
			exportGet,
			u.analyst,
			`/api/v1/exports?lat=${BAGHDAD.lat}&lon=${BAGHDAD.lon}&within_km=7&format=csv`
		);
		const [a] = await sqlAs<{ d: Record<string, unknown> }>(
			e.db,
			u.admin,
			`select detail as d from public.audit_log where action = 'export' order by id desc limit 1`
		);
		expect(a.d).toMatchObject({ within_km: 7, lat: BAGHDAD.lat, lon: BAGHDAD.lon });
	});
});
