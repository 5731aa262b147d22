/**
 * The spatial filter of the incident counts (issue 13) on the demo data, on PGlite and
 * PostgreSQL: GET /api/v1/incidents/counts with lat/lon/within_km equals an independent
 * ST_DWithin count (geography, metres), with geometry= equals ST_Intersects' count, a stored
 * geometry (geometry_id=) equals the inline one, a corridor equals ST_DWithin around the line,
 * precise=true drops the approximate locations it reports, and a viewer is counted on the point
 * location fuzzing lets them see. The independent counts run as the same user under RLS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { GET as countsGet } from '../../src/routes/api/v1/incidents/counts/+server.ts';
import { POST as saveGeometry } from '../../src/routes/api/v1/filter-geometries/+server.ts';
import { GET as getGeometry } from '../../src/routes/api/v1/filter-geometries/[id]/+server.ts';
import { callRoute } from './helpers/route.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';

import { BAGHDAD, DOHUK, MOSUL_BOX, ROAD } from './helpers/places.ts';

describe.each(engineNames())('spatial filter of incident counts on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	const count = async (as: CallerUser, where: string, params: unknown[]) => {
		const [r] = await sqlAs<{ n: number }>(
			e.db,
			as,
			`select count(*)::int as n from public.incidents i where ${where}`,
			params
		);
		return r.n;
	};
	const api = (as: CallerUser, q: string) =>
		callRoute(countsGet, as, `/api/v1/incidents/counts?${q}`);

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
		setDb(e.db);
	}, 120_000);
	afterAll(async () => e?.close());

	it('lat/lon/within_km=20 equals an independent ST_DWithin count', async () => {
		const r = await api(u.analyst, `lat=${BAGHDAD.lat}&lon=${BAGHDAD.lon}&within_km=20`);
		expect(r.status).toBe(200);
		const n = await count(
			u.analyst,
			`st_dwithin(i.geom::geography, st_setsrid(st_makepoint($1, $2), 4326)::geography, 20000)`,
			[BAGHDAD.lon, BAGHDAD.lat]
		);
		expect(n).toBeGreaterThan(10);
		expect(r.body.total).toBe(n);
		const p = r.body.by_precision;
		expect(p['1'] + p['2'] + p['3']).toBe(n);
		expect(r.body.imprecise).toBe(p['2'] + p['3']);
	});

	it('geometry=<GeoJSON> equals ST_Intersects, and the same shape stored by id gives the same', async () => {
		const r = await api(u.analyst, `geometry=${encodeURIComponent(JSON.stringify(MOSUL_BOX))}`);
		expect(r.status).toBe(200);
		const n = await count(
			u.analyst,
			`st_intersects(i.geom, st_setsrid(st_geomfromgeojson($1), 4326))`,
			[JSON.stringify(MOSUL_BOX)]
		);
		expect(n).toBeGreaterThan(10);
		expect(r.body.total).toBe(n);

		const saved = await callRoute(saveGeometry, u.field, '/api/v1/filter-geometries', {
			body: { type: 'Feature', properties: {}, geometry: MOSUL_BOX }
		});
		expect(saved.status).toBe(201);
		const again = await callRoute(saveGeometry, u.viewer, '/api/v1/filter-geometries', {
			body: MOSUL_BOX
		});
		expect(again.body.id).toBe(saved.body.id);
		// The link works for a colleague: the analyst reads the field user's geometry by id.
		const byId = await api(u.analyst, `geometry_id=${saved.body.id}`);
		expect(byId.body.total).toBe(n);
		const shape = await callRoute(getGeometry, u.analyst, `/api/v1/filter-geometries/x`, {
			params: { id: saved.body.id }
		});
		expect(shape.body.geometry.type).toBe('Polygon');
	});

	it('a corridor: a line with within_km equals ST_DWithin around the line', async () => {
		const saved = await callRoute(saveGeometry, u.analyst, '/api/v1/filter-geometries', {
			body: ROAD
		});
		const r = await api(u.analyst, `geometry_id=${saved.body.id}&within_km=5`);
		const n = await count(
			u.analyst,
			`st_dwithin(i.geom::geography, st_setsrid(st_geomfromgeojson($1), 4326)::geography, 5000)`,
			[JSON.stringify(ROAD)]
		);
		expect(n).toBeGreaterThan(10);
		expect(r.body.total).toBe(n);
		// A line alone covers no incident: the API asks for a distance instead of answering 0.
		const bare = await api(u.analyst, `geometry_id=${saved.body.id}`);
		expect(bare.status).toBe(400);
		expect(bare.body.message).toMatch(/within_km/);
	});

	it('precise=true drops exactly the approximate locations it reported', async () => {
		const q = `lat=${BAGHDAD.lat}&lon=${BAGHDAD.lon}&within_km=20`;
		const all = await api(u.analyst, q);
		const precise = await api(u.analyst, `${q}&precise=true`);
		const n = await count(
			u.analyst,
			`i.geo_precision = 1 and st_dwithin(i.geom::geography, st_setsrid(st_makepoint($1, $2), 4326)::geography, 20000)`,
			[BAGHDAD.lon, BAGHDAD.lat]
		);
		expect(precise.body.total).toBe(n);
		expect(precise.body.total).toBe(all.body.total - all.body.imprecise);
		expect(precise.body.imprecise).toBe(0);
	});

	it('a viewer is counted on the point they may see and under their RLS', async () => {
		// A sensitive incident in Dohuk: a viewer sees it at its coarse point (the district's).
		await e.db.queryOwner(
			`insert into public.incidents (event_date, event_type, geom, fatalities, status, sensitive_location)
			 values ('2021-03-01', 'battles', st_setsrid(st_makepoint($1, $2), 4326), 0, 'verified', true)`,
			[DOHUK.lon + 0.01, DOHUK.lat]
		);
		for (const km of [2, 20]) {
			const q = `lat=${DOHUK.lat}&lon=${DOHUK.lon}&within_km=${km}`;
			const viewer = await api(u.viewer, q);
			const n = await count(
				u.viewer,
				`st_dwithin(coalesce(i.geom_coarse, i.geom)::geography, st_setsrid(st_makepoint($1, $2), 4326)::geography, $3)`,
				[DOHUK.lon, DOHUK.lat, km * 1000]
			);
			expect(viewer.body.total).toBe(n);
			const analyst = await api(u.analyst, q);
			expect(viewer.body.total).toBeLessThanOrEqual(analyst.body.total);
		}
	});

	it('bad input gets a clear 400', async () => {
		const bowtie = {
			type: 'Polygon',
			coordinates: [
				[
					[0, 0],
					[1, 1],
					[1, 0],
					[0, 1],
					[0, 0]
				]
			]
		};
		const bad = await callRoute(saveGeometry, u.analyst, '/api/v1/filter-geometries', {
			body: bowtie
		});
		expect(bad.status).toBe(400);
		expect(bad.body.message).toMatch(/invalid/i);
		const junk = await api(u.analyst, `geometry=${encodeURIComponent('{"type":"Polygon"}')}`);
		expect(junk.status).toBe(400);
		expect((await api(u.analyst, 'lat=36&lon=43')).body.parameter).toBe('within_km');
		const unknown = await api(u.analyst, 'geometry_id=0b5e1d3c-1111-4222-8333-444455556666');
		expect(unknown.status).toBe(400);
	});
});
