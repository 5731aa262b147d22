/**
 * Issue 11, point 8 on PGlite and PostgreSQL: a contingency plan's drawn routes (a road out, linked
 * to its plan and optionally to the site it leads to) and the nearest-site finder measuring along
 * them. The distance along a route is checked against PostGIS distances computed here on a route
 * that runs along a meridian, where the way along it is the geodesic between two points of it.
 * Need-to-know: routes are as sensitive as a movement's (a viewer gets 403 and no rows, a field
 * user of another base finds nothing); bad input is refused with the field named, nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';
import { addPlan, baseWithFieldStaff } from './helpers/contingency.ts';
import * as routes from '../../src/routes/api/v1/contingency/[id]/routes/+server.ts';
import * as oneRoute from '../../src/routes/api/v1/contingency/[id]/routes/[route]/+server.ts';
import * as nearest from '../../src/routes/api/v1/contingency/nearest/+server.ts';

// a road north along the meridian 44.5° E, far from the seeded sample's registry sites
const road = {
	type: 'LineString',
	coordinates: [
		[44.5, 30.0],
		[44.5, 30.4],
		[44.5, 31.0]
	]
};
const sites = [
	{ name: 'North house', role: 'hibernation_site', lon: 44.51, lat: 30.8, capacity: 20 },
	{ name: 'Side point', role: 'assembly_point', lon: 44.503, lat: 30.5 },
	{ name: 'Off-road haven', role: 'safe_haven', lon: 44.7, lat: 30.3 }
];
// where the user stands: 0.02° west of the road, at 30.1° N
const at = { lon: 44.48, lat: 30.1 };

describe.each(engineNames())('contingency plan routes and distance along them on %s', (name) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let stranger: CallerUser;
	let inBase: CallerUser;
	let planId: string;

	beforeAll(async () => {
		e = await openEngine(name, 'seeded');
		setDb(e.db);
		u = await makeRoles(e.db);
		const f = await baseWithFieldStaff(e.db, {
			name: 'Route test base',
			at: { lon: 44.5, lat: 30 }
		});
		inBase = f.inside;
		stranger = f.outside;
		planId = await addPlan(u.analyst, f.base.id, { kind: 'evacuation', sites });
	});
	afterAll(async () => {
		await e?.close();
	});

	const count = async () =>
		(
			await e.db.queryOwner<{ n: number }>(
				`select count(*)::int as n from sensitive.contingency_plan_routes`
			)
		)[0].n;

	it('keeps a drawn route, refuses what is not one line naming the field, and hides it from viewers', async () => {
		const add = (as: CallerUser, body: unknown) =>
			callRoute(routes.POST, as, `/api/v1/contingency/${planId}/routes`, {
				params: { id: planId },
				body
			});
		const r = await add(u.analyst, {
			name: 'Northern road',
			route: road,
			to_site: 'North house',
			source: 'north.gpx'
		});
		expect(r.status, r.text).toBe(201);
		expect(r.body.name).toBe('Northern road');
		expect(r.body.to_site).toBe('North house');
		expect(r.body.source).toBe('north.gpx');
		expect(r.body.route.type).toBe('LineString');
		expect(r.body.route.coordinates).toEqual(road.coordinates);
		const [{ km }] = await e.db.queryOwner<{ km: number }>(
			`select (st_distance(st_makepoint(44.5, 30)::geography, st_makepoint(44.5, 31)::geography) / 1000)::float8 as km`
		);
		expect(r.body.length_km).toBeCloseTo(km, 2);
		// a second one without a destination: it serves the sites within 1 km of it
		expect((await add(u.admin, { name: 'Side track', route: road })).status).toBe(201);

		// bad input: the field named, nothing written
		const before = await count();
		for (const [body, field] of [
			[
				{
					name: 'Zone',
					route: {
						type: 'Polygon',
						coordinates: [
							[
								[44, 30],
								[45, 30],
								[45, 31],
								[44, 30]
							]
						]
					}
				},
				'route'
			],
			[{ name: 'Dot', route: { type: 'Point', coordinates: [44, 30] } }, 'route'],
			[{ name: 'Nothing' }, 'route'],
			[
				{
					name: 'Two pieces',
					route: {
						type: 'MultiLineString',
						coordinates: [
							[
								[44, 30],
								[44.1, 30]
							],
							[
								[45, 31],
								[45.1, 31]
							]
						]
					}
				},
				'route'
			],
			[{ name: ' ', route: road }, 'name'],
			[{ name: 'Wrong site', route: road, to_site: 'Nowhere' }, 'to_site'],
			[{ name: 'Extra', route: road, colour: 'red' }, 'colour']
		] as const) {
			const bad = await add(u.analyst, body);
			expect(bad.status, JSON.stringify(body)).toBe(400);
			expect(bad.body.parameter, bad.text).toBe(field);
		}
		expect(await count()).toBe(before);
		// field staff read but may not write; a viewer gets neither
		expect((await add(inBase, { name: 'Mine', route: road })).status).toBe(403);
		expect((await add(u.viewer, { name: 'Mine', route: road })).status).toBe(403);
		await expect(
			sqlAs(e.db, inBase, `select public.contingency_route_add($1, $2)`, [
				planId,
				JSON.stringify({ name: 'Mine', route: road })
			])
		).rejects.toThrow(/only analysts and admins/);

		const list = (as: CallerUser) =>
			callRoute(routes.GET, as, `/api/v1/contingency/${planId}/routes`, {
				params: { id: planId }
			});
		const mine = await list(inBase);
		expect(mine.status, mine.text).toBe(200);
		expect(mine.body.map((x: { name: string }) => x.name)).toEqual(['Northern road', 'Side track']);
		expect((await list(u.viewer)).status).toBe(403);
		expect((await list(stranger)).status).toBe(404);
		// RLS, under the API: no rows for a viewer or a field user of another base
		for (const who of [u.viewer, stranger]) {
			const rows = await sqlAs(e.db, who, `select id from sensitive.contingency_plan_routes`);
			expect(rows).toEqual([]);
		}
		expect(
			await sqlAs(e.db, inBase, `select id from sensitive.contingency_plan_routes`)
		).toHaveLength(2);
		// the read is audited
		const [{ n }] = await e.db.queryOwner<{ n: number }>(
			`select count(*)::int as n from public.audit_log
			 where action = 'read' and table_name = 'contingency_plan_routes'`
		);
		expect(n).toBeGreaterThan(0);
	});

	it('answers the nearest sites with the way along a route, as PostGIS measures it', async () => {
		const ask = (as: CallerUser, q = '') =>
			callRoute(nearest.GET, as, `/api/v1/contingency/nearest?lat=${at.lat}&lon=${at.lon}${q}`);
		const r = await ask(inBase);
		expect(r.status, r.text).toBe(200);
		type Way = {
			name: string;
			approach_km: number;
			along_km: number;
			leave_km: number;
			total_km: number;
		};
		const got = r.body as { name: string; distance_km: number; route: Way | null }[];
		const by = (n: string) => got.find((x) => x.name === n)!;
		// independently: on a meridian, the way along the road is the geodesic between two points of it
		const d = async (a: [number, number], b: [number, number]) =>
			(
				await e.db.queryOwner<{ km: number }>(
					`select (st_distance(st_makepoint($1, $2)::geography, st_makepoint($3, $4)::geography) / 1000)::float8 as km`,
					[a[0], a[1], b[0], b[1]]
				)
			)[0].km;
		const approach = await d([at.lon, at.lat], [44.5, 30.1]);
		// North house: by the Northern road (its destination)
		const north = by('North house');
		expect(north.route?.name).toBe('Northern road');
		expect(north.route!.approach_km).toBeCloseTo(approach, 2);
		expect(north.route!.along_km).toBeCloseTo(await d([44.5, 30.1], [44.5, 30.8]), 2);
		expect(north.route!.leave_km).toBeCloseTo(await d([44.51, 30.8], [44.5, 30.8]), 2);
		expect(north.route!.total_km).toBeCloseTo(
			north.route!.approach_km + north.route!.along_km + north.route!.leave_km,
			2
		);
		expect(north.route!.total_km).toBeGreaterThan(north.distance_km);
		// Side point lies 0.003° (≈ 290 m) off the road: the Side track (no destination) serves it
		const side = by('Side point');
		expect(side.route?.name).toBe('Side track');
		expect(side.route!.along_km).toBeCloseTo(await d([44.5, 30.1], [44.5, 30.5]), 2);
		// the haven is 20 km off any road: straight line only
		expect(by('Off-road haven').route).toBeNull();
		// the order stays the straight-line one
		const km = got.map((x) => x.distance_km);
		expect(km).toEqual([...km].sort((a, b) => a - b));
		// need-to-know: another base's field user gets none of the plan's sites, nor its routes
		const other = (await ask(stranger)).body as { plan_id: string | null; route: unknown }[];
		expect(other.every((x) => x.plan_id === null && x.route === null)).toBe(true);
		expect((await ask(u.viewer)).status).toBe(403);
	});

	it('removes a route (analysts and admins only)', async () => {
		const [{ id }] = await e.db.queryOwner<{ id: string }>(
			`select id from sensitive.contingency_plan_routes where name = 'Side track'`
		);
		const del = (as: CallerUser) =>
			callRoute(oneRoute.DELETE, as, `/x`, {
				method: 'DELETE',
				params: { id: planId, route: id }
			});
		expect((await del(inBase)).status).toBe(403);
		const ok = await del(u.analyst);
		expect(ok.status, ok.text).toBe(200);
		expect((await del(u.analyst)).status).toBe(404);
		expect(await count()).toBe(1);
	});
});
