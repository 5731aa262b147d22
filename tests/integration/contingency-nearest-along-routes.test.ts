/**
 * Issue 11, point 8, on PGlite and PostgreSQL: the nearest site along a drawn route is found even
 * when it is not among the nearest by straight line. A site 22 km away (seventh by straight line,
 * past the default limit of 5) has a road that starts where the user stands; the nearest site by
 * straight line (6 km) is across a river, 47 km round by its road. The answer must hold both: the
 * five nearest in a straight line, and the nearest along a route, each with its rank and distances
 * as PostGIS geodesics measure them here, independently (the roads run along meridians and
 * parallels, so the way along them is the sum of geodesics between known points).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';
import { addPlan, baseWithFieldStaff } from './helpers/contingency.ts';
import * as routes from '../../src/routes/api/v1/contingency/[id]/routes/+server.ts';
import * as nearest from '../../src/routes/api/v1/contingency/nearest/+server.ts';

// where the user stands, in the desert west of Nasiriyah, far from the seeded registry's sites
const at = { lon: 45.99, lat: 31.0 };
const sites = [
	// across the river: nearest in a straight line, but its road goes round
	{ name: 'River house', role: 'hibernation_site', lon: 46.05, lat: 31.02, capacity: 12 },
	// five more near ones, with no road drawn to them
	{ name: 'Filler west', role: 'assembly_point', lon: 45.91, lat: 31.0 },
	{ name: 'Filler north', role: 'assembly_point', lon: 45.98, lat: 31.08 },
	{ name: 'Filler south', role: 'assembly_point', lon: 45.98, lat: 30.92 },
	{ name: 'Filler south-east', role: 'assembly_point', lon: 46.04, lat: 30.93 },
	{ name: 'Filler north-west', role: 'assembly_point', lon: 45.92, lat: 31.06 },
	// seventh by straight line, but its road starts next to the user
	{ name: 'Far shelter', role: 'hibernation_site', lon: 46.004, lat: 31.2, capacity: 40 }
];
const roundRoad = {
	type: 'LineString',
	coordinates: [
		[46.0, 30.99],
		[46.0, 31.2],
		[46.05, 31.2],
		[46.05, 31.02]
	]
};
const northRoad = {
	type: 'LineString',
	coordinates: [
		[46.0, 30.98],
		[46.0, 31.3]
	]
};

type Way = {
	name: string;
	approach_km: number;
	along_km: number;
	leave_km: number;
	total_km: number;
};
type Got = {
	name: string;
	distance_km: number;
	plan_id: string | null;
	straight_rank: number;
	route_rank: number | null;
	route: Way | null;
};

describe.each(engineNames())(
	'nearest site along drawn routes, past the straight-line shortlist, on %s',
	(name) => {
		let e: Engine;
		let u: Record<AppRole, CallerUser>;
		let stranger: CallerUser;
		let inBase: CallerUser;

		beforeAll(async () => {
			e = await openEngine(name, 'seeded');
			setDb(e.db);
			u = await makeRoles(e.db);
			const f = await baseWithFieldStaff(e.db, { name: 'Desert base', at: { lon: 46, lat: 31 } });
			inBase = f.inside;
			stranger = f.outside;
			const planId = await addPlan(u.analyst, f.base.id, { kind: 'hibernation', sites });
			for (const body of [
				{ name: 'Round by the bridge', route: roundRoad, to_site: 'River house' },
				{ name: 'North road', route: northRoad, to_site: 'Far shelter' }
			]) {
				const r = await callRoute(routes.POST, u.analyst, `/api/v1/contingency/${planId}/routes`, {
					params: { id: planId },
					body
				});
				expect(r.status, r.text).toBe(201);
			}
		});
		afterAll(async () => {
			await e?.close();
		});

		const ask = (as: CallerUser, q = '') =>
			callRoute(nearest.GET, as, `/api/v1/contingency/nearest?lat=${at.lat}&lon=${at.lon}${q}`);
		/** geodesic km between two points, straight from PostGIS */
		const d = async (a: [number, number], b: [number, number]) =>
			(
				await e.db.queryOwner<{ km: number }>(
					`select (st_distance(st_makepoint($1, $2)::geography, st_makepoint($3, $4)::geography) / 1000)::float8 as km`,
					[a[0], a[1], b[0], b[1]]
				)
			)[0].km;
		const here: [number, number] = [at.lon, at.lat];

		it('finds the nearest site along a road even when it is past the straight-line limit', async () => {
			const r = await ask(inBase);
			expect(r.status, r.text).toBe(200);
			const got = r.body as Got[];
			const by = (n: string) => got.find((x) => x.name === n);

			// the five nearest by straight line, as PostGIS measures each site (and the registry's)
			const want = await e.db.queryOwner<{ name: string; km: number }>(
				`select name, km from (
			   select s ->> 'name' as name,
			          (st_distance(st_makepoint((s ->> 'lon')::float8, (s ->> 'lat')::float8)::geography,
			                       st_makepoint($1, $2)::geography) / 1000)::float8 as km
			   from jsonb_array_elements($3::jsonb) s
			   union all
			   select name, (st_distance(geom::geography, st_makepoint($1, $2)::geography) / 1000)::float8
			   from public.org_sites where site_type in ('hibernation_site', 'assembly_point') and status = 'open'
			 ) x order by km`,
				[at.lon, at.lat, JSON.stringify(sites)]
			);
			expect(want[0].name).toBe('River house');
			expect(want.findIndex((w) => w.name === 'Far shelter')).toBe(6);
			const straight = got.slice(0, 5);
			expect(straight.map((x) => x.name)).toEqual(want.slice(0, 5).map((w) => w.name));
			straight.forEach((x, i) => expect(x.distance_km).toBeCloseTo(want[i].km, 3));

			// the far shelter is in the answer, first along a route, with its true straight-line rank
			const far = by('Far shelter');
			expect(far, JSON.stringify(got.map((x) => x.name))).toBeDefined();
			straight.forEach((x, i) => expect(x.straight_rank).toBe(i + 1));
			expect(far!.straight_rank).toBe(7);
			expect(far!.route_rank).toBe(1);
			expect(far!.distance_km).toBeCloseTo(want[6].km, 3);
			expect(far!.route?.name).toBe('North road');
			// approach to the road at the same latitude, along the meridian, off to the site
			const approach = await d(here, [46.0, 31.0]);
			expect(far!.route!.approach_km).toBeCloseTo(approach, 2);
			expect(far!.route!.along_km).toBeCloseTo(await d([46.0, 31.0], [46.0, 31.2]), 2);
			expect(far!.route!.leave_km).toBeCloseTo(await d([46.004, 31.2], [46.0, 31.2]), 2);
			const farTotal =
				approach + (await d([46.0, 31.0], [46.0, 31.2])) + (await d([46.004, 31.2], [46.0, 31.2]));
			expect(far!.route!.total_km).toBeCloseTo(farTotal, 2);

			// the river house: nearest in a straight line, second along a route (round by the bridge)
			const river = by('River house')!;
			expect(river.straight_rank).toBe(1);
			expect(river.route_rank).toBe(2);
			expect(river.route?.name).toBe('Round by the bridge');
			const riverAlong =
				(await d([46.0, 31.0], [46.0, 31.2])) +
				(await d([46.0, 31.2], [46.05, 31.2])) +
				(await d([46.05, 31.2], [46.05, 31.02]));
			expect(river.route!.approach_km).toBeCloseTo(approach, 2);
			expect(river.route!.along_km).toBeCloseTo(riverAlong, 2);
			expect(river.route!.leave_km).toBeCloseTo(0, 3);
			expect(river.route!.total_km).toBeCloseTo(approach + riverAlong, 2);
			expect(river.route!.total_km).toBeGreaterThan(far!.route!.total_km);

			// sites with no road carry no route rank; the list stays in straight-line order
			expect(by('Filler west')!.route_rank).toBeNull();
			expect(got.map((x) => x.straight_rank)).toEqual(
				[...got.map((x) => x.straight_rank)].sort((a, b) => a - b)
			);
			expect(got).toHaveLength(6);
		});

		it('with limit=1 answers the nearest each way', async () => {
			const got = (await ask(u.admin, '&limit=1')).body as Got[];
			expect(got.map((x) => [x.name, x.straight_rank, x.route_rank])).toEqual([
				['River house', 1, 2],
				['Far shelter', 7, 1]
			]);
			// by kind: the hibernation sites only, the far shelter now second by straight line
			const hib = (await ask(u.admin, '&role=hibernation_site&limit=1')).body as Got[];
			expect(hib.map((x) => [x.name, x.straight_rank, x.route_rank])).toEqual([
				['River house', 1, 2],
				['Far shelter', 2, 1]
			]);
		});

		it('keeps need-to-know: no route, rank or site of the plan for others', async () => {
			const other = (await ask(stranger)).body as Got[];
			expect(other.length).toBeGreaterThan(0);
			expect(
				other.every((x) => x.plan_id === null && x.route === null && x.route_rank === null)
			).toBe(true);
			expect(other.map((x) => x.name)).not.toContain('Far shelter');
			expect((await ask(u.viewer)).status).toBe(403);
			await expect(
				sqlAs(e.db, u.viewer, `select public.contingency_nearest_sites(45.99, 31.0)`)
			).rejects.toThrow(/field staff, analysts and admins/);
			expect(
				await sqlAs(e.db, u.viewer, `select id from sensitive.contingency_plan_routes`)
			).toEqual([]);
		});
	}
);
