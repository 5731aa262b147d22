/**
 * No-go zones through the API on every engine (issue 11, point 2): analysts and admins draw and
 * remove them; field staff and viewers read them but cannot write (the route refuses, and the
 * table's policies refuse a direct insert, in the drawer's own name only); a line or a
 * self-crossing polygon is refused naming the field; route risk picks a new zone up (no_go, the
 * zone in the reasons), and the zone's area is computed independently in PostGIS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';
import * as zones from '../../src/routes/api/v1/no-go-zones/+server.ts';
import * as oneZone from '../../src/routes/api/v1/no-go-zones/[id]/+server.ts';
import * as risk from '../../src/routes/api/v1/movements/risk/+server.ts';

// a quiet line in the desert far from the seeded incidents, and a box across its middle
const ROUTE = {
	type: 'LineString',
	coordinates: [
		[40.2, 33.2],
		[40.6, 33.25]
	]
};
const BOX = {
	type: 'Polygon',
	coordinates: [
		[
			[40.38, 33.1],
			[40.42, 33.1],
			[40.42, 33.4],
			[40.38, 33.4],
			[40.38, 33.1]
		]
	]
};
const BOWTIE = {
	type: 'Polygon',
	coordinates: [
		[
			[40, 33],
			[40.1, 33.1],
			[40.1, 33],
			[40, 33.1],
			[40, 33]
		]
	]
};

describe.each(engineNames())('no-go zones on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		setDb(e.db);
		u = await makeRoles(e.db);
	});
	afterAll(async () => e?.close());

	const post = (as: CallerUser, body: unknown) => callRoute(zones.POST, as, '/x', { body });
	const riskOf = async () => {
		const r = await callRoute(risk.POST, u.field, '/x', {
			body: { route: ROUTE, corridor_km: 1, from: '2024-01-01', to: '2024-12-31' }
		});
		expect(r.status, r.text).toBe(200);
		return r.body as { recommendation: string; reasons: { rule: string; message: string }[] };
	};

	it('refuses a bad zone with a message naming the field', async () => {
		const bad = async (body: Record<string, unknown>, field: string) => {
			const r = await post(u.analyst, body);
			expect(r.status, JSON.stringify(body)).toBe(400);
			expect(r.body.message, JSON.stringify(body)).toMatch(new RegExp(`^${field}: `));
		};
		const ok = { name: 'Z', reason: 'r', geometry: BOX };
		await bad({ ...ok, name: ' ' }, 'name');
		await bad({ ...ok, reason: '' }, 'reason');
		await bad({ ...ok, geometry: ROUTE }, 'geometry');
		await bad({ ...ok, geometry: BOWTIE }, 'geometry');
		await bad({ ...ok, valid_from: '2030-01-02', valid_to: '2030-01-01' }, 'valid_to');
		await bad({ ...ok, colour: 'red' }, 'colour');
		expect((await callRoute(zones.GET, u.viewer, '/x')).body).toEqual([]);
	});

	it('is drawn by analysts only, read by everyone, and refused to others at the table too', async () => {
		for (const who of ['viewer', 'field'] as const) {
			const r = await post(u[who], { name: 'Mine', reason: 'r', geometry: BOX });
			expect(r.status, who).toBe(403);
			// the verb and the policy refuse it even without the route's role check
			await expect(
				sqlAs(e.db, u[who], `select public.no_go_zone_add($1::jsonb)`, [
					JSON.stringify({ name: 'Mine', reason: 'r', geometry: BOX })
				])
			).rejects.toThrow(/only analysts and admins/);
			await expect(
				sqlAs(
					e.db,
					u[who],
					`insert into public.no_go_zones (name, reason, geom, created_by)
					 values ('Mine', 'r', public.no_go_zone_geometry($1::jsonb), $2)`,
					[JSON.stringify(BOX), u[who].id]
				)
			).rejects.toThrow(/row-level security/);
		}
		// an analyst cannot write a zone in someone else's name
		await expect(
			sqlAs(
				e.db,
				u.analyst,
				`insert into public.no_go_zones (name, reason, geom, created_by)
				 values ('Forged', 'r', public.no_go_zone_geometry($1::jsonb), $2)`,
				[JSON.stringify(BOX), u.admin.id]
			)
		).rejects.toThrow(/row-level security/);
		expect((await callRoute(zones.GET, u.field, '/x')).body).toEqual([]);
	});

	it('is picked up by route risk, and removed', async () => {
		expect((await riskOf()).reasons.some((r) => r.rule === 'no_go_zone')).toBe(false);
		const r = await post(u.analyst, {
			name: 'Wadi ambush area',
			reason: 'IED reports',
			geometry: BOX
		});
		expect(r.status, r.text).toBe(201);
		const [{ km2 }] = await e.db.queryOwner<{ km2: number }>(
			`select round((st_area(st_geomfromgeojson($1)::geography) / 1e6)::numeric, 2)::float8 as km2`,
			[JSON.stringify({ ...BOX, crs: { type: 'name', properties: { name: 'EPSG:4326' } } })]
		);
		expect(r.body).toMatchObject({
			name: 'Wadi ambush area',
			reason: 'IED reports',
			area_km2: km2
		});
		expect(r.body.geometry.type).toBe('MultiPolygon');
		for (const who of ['viewer', 'field'] as const)
			expect(
				(await callRoute(zones.GET, u[who], '/x')).body.map((z: { id: string }) => z.id)
			).toEqual([r.body.id]);
		const withZone = await riskOf();
		expect(withZone.recommendation).toBe('no_go');
		expect(withZone.reasons.find((x) => x.rule === 'no_go_zone')?.message).toContain(
			'Wadi ambush area'
		);
		const notYours = await callRoute(oneZone.DELETE, u.field, '/x', {
			method: 'DELETE',
			params: { id: r.body.id }
		});
		expect(notYours.status).toBe(403);
		const gone = await callRoute(oneZone.DELETE, u.analyst, '/x', {
			method: 'DELETE',
			params: { id: r.body.id }
		});
		expect(gone.status, gone.text).toBe(200);
		expect((await riskOf()).reasons.some((x) => x.rule === 'no_go_zone')).toBe(false);
		const [{ n }] = await e.db.queryOwner<{ n: number }>(
			`select count(*)::int as n from public.audit_log where table_name = 'no_go_zones'`
		);
		expect(n).toBeGreaterThanOrEqual(2);
	});
});
