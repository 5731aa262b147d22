/**
 * Area assessment on every engine: the profile's counts against PostGIS queries written here
 * independently (ST_Intersects / ST_Covers on the raw tables, as the table owner), for an
 * analyst (exact points) and a viewer (verified unrestricted incidents at their coarse point);
 * bad geometries; contacts need-to-know; community profiles and their CSV import; the RLS
 * matrix of saved assessments; a re-run that shows what changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, makeUser, openEngine, sqlAs, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';
import * as profileRoute from '../../src/routes/api/v1/assessments/profile/+server.ts';
import * as listRoute from '../../src/routes/api/v1/assessments/+server.ts';
import * as oneRoute from '../../src/routes/api/v1/assessments/[id]/+server.ts';
import * as rerunRoute from '../../src/routes/api/v1/assessments/[id]/rerun/+server.ts';
import * as importRoute from '../../src/routes/api/v1/assessments/community-import/+server.ts';
import * as communityRoute from '../../src/routes/api/v1/areas/[pcode]/community/+server.ts';

const FIXTURE = `
insert into public.areas (pcode, level, name_en, name_ar, parent_pcode, geom) values
  ('IQG01', 1, 'Alpha', 'ألفا', null, st_multi(st_makeenvelope(42, 36, 44, 37.5, 4326))),
  ('IQD0101', 2, 'Alpha West', 'ألفا الغربية', 'IQG01', st_multi(st_makeenvelope(42, 36, 43, 37.5, 4326))),
  ('IQD0102', 2, 'Alpha East', 'ألفا الشرقية', 'IQG01', st_multi(st_makeenvelope(43, 36, 44, 37.5, 4326))),
  ('IQG02', 1, 'Beta', 'بيتا', null, st_multi(st_makeenvelope(44, 36, 46, 37.5, 4326)));
insert into public.actors (id, name, actor_type, stance, influence) values
  ('00000000-0000-4000-8000-0000000000a1', 'West Militia', 'militia', 'hostile', 4),
  ('00000000-0000-4000-8000-0000000000a2', 'Town Council', 'authority', 'supportive', 3),
  ('00000000-0000-4000-8000-0000000000a3', 'Far Group', 'armed_group', 'unknown', 2);
insert into public.actor_presence (actor_id, pcode) values ('00000000-0000-4000-8000-0000000000a1', 'IQD0101');
insert into public.actor_presence (actor_id, geom) values
  ('00000000-0000-4000-8000-0000000000a2', st_multi(st_makeenvelope(42.9, 36.3, 43.2, 36.6, 4326))),
  ('00000000-0000-4000-8000-0000000000a3', st_multi(st_makeenvelope(45, 36.5, 45.5, 37, 4326)));
insert into public.relationships (source_actor_id, target_actor_id, kind) values
  ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000a2', 'rivalry');
-- 300 incidents spread over Alpha and Beta, 2015–2017, every status and confidentiality; every
-- seventh has a sensitive location (coarse point: its district's point on surface).
insert into public.incidents (event_date, event_type, geom, admin1_pcode, admin2_pcode, status, confidentiality,
                              sensitive_location, fatalities, serious, affects_ngos, actor1_id)
select date '2015-01-01' + (i * 3), (array['battles', 'protests', 'riots'])[1 + i % 3],
       st_setsrid(st_point(42.01 + ((i * 0.0137) % 3.9), 36.01 + ((i * 0.0071) % 1.45)), 4326),
       public.area_at(42.01 + ((i * 0.0137) % 3.9), 36.01 + ((i * 0.0071) % 1.45), 1),
       public.area_at(42.01 + ((i * 0.0137) % 3.9), 36.01 + ((i * 0.0071) % 1.45), 2),
       (array['verified', 'verified', 'reported', 'rejected'])[1 + i % 4],
       (array['public', 'internal', 'restricted'])[1 + i % 3],
       i % 7 = 0, i % 5, i % 11 = 0, i % 13 = 0,
       case when i % 2 = 0 then '00000000-0000-4000-8000-0000000000a1'::uuid end
from generate_series(1, 300) i;
insert into public.health_facilities (name, facility_type, supported, geom) values
  ('West Hospital', 'hospital', true, st_setsrid(st_point(42.5, 36.5), 4326)),
  ('West PHCC', 'phcc', false, st_setsrid(st_point(42.7, 36.9), 4326)),
  ('East Hospital', 'hospital', false, st_setsrid(st_point(43.5, 36.5), 4326));
insert into public.idp_camps (name, population, population_date, geom) values
  ('Camp One', 5000, '2017-06-01', st_setsrid(st_point(42.3, 36.3), 4326)),
  ('Camp Two', 1200, '2017-05-01', st_setsrid(st_point(42.95, 36.45), 4326)),
  ('Camp East', 800, '2017-05-01', st_setsrid(st_point(43.6, 36.7), 4326));
insert into public.checkpoints (id, name, status, controlled_by, geom) values
  ('00000000-0000-4000-8000-0000000000c1', 'West Gate', 'open', 'Police', st_setsrid(st_point(42.4, 36.6), 4326)),
  ('00000000-0000-4000-8000-0000000000c2', 'Bridge', 'closed', 'Army', st_setsrid(st_point(42.95, 36.35), 4326));
insert into public.org_sites (name, site_type, geom) values
  ('Safe House', 'hibernation_site', st_setsrid(st_point(42.2, 36.2), 4326));
insert into sensitive.contacts (id, full_name, sensitivity) values
  ('00000000-0000-4000-8000-0000000000d1', 'Normal Mukhtar', 'normal'),
  ('00000000-0000-4000-8000-0000000000d2', 'Secret Commander', 'restricted');
insert into sensitive.contact_areas (contact_id, pcode) values
  ('00000000-0000-4000-8000-0000000000d1', 'IQD0101'), ('00000000-0000-4000-8000-0000000000d2', 'IQD0101');
`;

// A drawn polygon across the Alpha West / Alpha East border (not a rectangle).
const POLYGON = {
	type: 'Polygon',
	coordinates: [
		[
			[42.3, 36.2],
			[43.4, 36.25],
			[43.3, 36.95],
			[42.5, 37.0],
			[42.3, 36.2]
		]
	]
};

type Counts = { total: number; by_year: Record<string, number> };

describe.each(engineNames())('area assessment on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		setDb(e.db);
		await e.db.execOwner(FIXTURE);
		u = await makeRoles(e.db);
	});
	afterAll(async () => e?.close());

	/** Incidents counted independently: raw ST_Intersects as the owner; viewer = RLS rule by hand. */
	async function expected(
		where: string,
		params: unknown[],
		viewer: boolean,
		extra = ''
	): Promise<Counts> {
		const point = viewer ? 'coalesce(i.geom_coarse, i.geom)' : 'i.geom';
		const rls = viewer ? `and i.status = 'verified' and i.confidentiality <> 'restricted'` : '';
		const rows = await e.db.queryOwner<{ y: number; n: number }>(
			`select extract(year from i.event_date)::int as y, count(*)::int as n
			 from public.incidents i where st_intersects(${where.replace('$P', point)}) ${rls} ${extra} group by 1`,
			params
		);
		return {
			total: rows.reduce((s, r) => s + r.n, 0),
			by_year: Object.fromEntries(rows.map((r) => [String(r.y), r.n]))
		};
	}

	it('counts an admin area as PostGIS does, for an analyst and for a viewer', async () => {
		for (const [who, viewer] of [
			[u.analyst, false],
			[u.viewer, true]
		] as const) {
			const r = await callRoute(profileRoute.GET, who, '/api/v1/assessments/profile?area=IQD0101');
			expect(r.status).toBe(200);
			const want = await expected(
				`(select geom from public.areas where pcode = 'IQD0101'), $P`,
				[],
				viewer
			);
			expect(want.total).toBeGreaterThan(20);
			expect(r.body.incidents.total).toBe(want.total);
			expect(r.body.incidents.by_year).toEqual(want.by_year);
			const [sites] = await e.db.queryOwner<{ hf: number; camps: number; pop: number }>(
				`select (select count(*)::int from public.health_facilities s, public.areas a
				          where a.pcode = 'IQD0101' and st_covers(a.geom, s.geom)) as hf,
				        (select count(*)::int from public.idp_camps s, public.areas a
				          where a.pcode = 'IQD0101' and st_covers(a.geom, s.geom)) as camps,
				        (select sum(population)::int from public.idp_camps s, public.areas a
				          where a.pcode = 'IQD0101' and st_covers(a.geom, s.geom)) as pop`
			);
			expect(r.body.health_facilities.count).toBe(sites.hf);
			expect(r.body.camps).toMatchObject({ count: sites.camps, population: sites.pop });
			expect(r.body.camps.population).toBe(6200);
			expect(r.body.checkpoints.map((c: { name: string }) => c.name).sort()).toEqual([
				'Bridge',
				'West Gate'
			]);
			expect(r.body.actors.map((a: { name: string }) => a.name).sort()).toEqual([
				'Town Council',
				'West Militia'
			]);
			expect(r.body.relationships).toHaveLength(1);
			expect(r.body.nearest.hibernation_site).toMatchObject({ name: 'Safe House', km: 0 });
		}
	});

	// A drawn area counts exact locations only (82_assessments.sql): a viewer's coarse (fuzzed)
	// points inside it are reported as not counted.
	it('counts a drawn polygon as PostGIS does; a viewer’s coarse points are not counted', async () => {
		const gj = JSON.stringify(POLYGON);
		const analyst = await callRoute(profileRoute.POST, u.analyst, '/x', {
			body: { geometry: POLYGON }
		});
		const viewer = await callRoute(profileRoute.POST, u.viewer, '/x', {
			body: { geometry: POLYGON }
		});
		expect(analyst.status).toBe(200);
		const wa = await expected(`st_setsrid(st_geomfromgeojson($1), 4326), $P`, [gj], false);
		const poly = `st_setsrid(st_geomfromgeojson($1), 4326), $P`;
		const wv = await expected(poly, [gj], true, 'and i.geom_coarse is null');
		const fuzzed = await expected(poly, [gj], true, 'and i.geom_coarse is not null');
		expect(analyst.body.incidents).toMatchObject(wa);
		expect(viewer.body.incidents).toMatchObject(wv);
		expect(fuzzed.total).toBeGreaterThan(0);
		expect(viewer.body.incidents.coarser_not_counted.by_precision['3']).toBe(fuzzed.total);
		expect(wa.total).toBeGreaterThan(wv.total);
		const [c] = await e.db.queryOwner<{ n: number; pop: number }>(
			`select count(*)::int as n, sum(population)::int as pop from public.idp_camps
			 where st_covers(st_setsrid(st_geomfromgeojson($1), 4326), geom)`,
			[gj]
		);
		expect(analyst.body.camps).toMatchObject({ count: c.n, population: c.pop });
		// The monthly series adds up to the total; the 12-month figures to their windows.
		const monthly = analyst.body.incidents.monthly as { n: number }[];
		expect(monthly.reduce((s, m) => s + m.n, 0)).toBe(wa.total);
		expect(analyst.body.areas.map((a: { pcode: string }) => a.pcode)).toEqual([
			'IQG01',
			'IQD0102',
			'IQD0101'
		]);
		// A viewer never gets an exact point of a sensitive incident in the serious list.
		const exact = await e.db.queryOwner<{ lon: number; lat: number }>(
			`select round(st_x(geom)::numeric, 5)::float8 as lon, round(st_y(geom)::numeric, 5)::float8 as lat
			 from public.incidents where sensitive_location`
		);
		const seen = new Set(
			(viewer.body.incidents.points as [number, number][]).map(([x, y]) => `${x},${y}`)
		);
		for (const p of exact) expect(seen.has(`${p.lon},${p.lat}`)).toBe(false);
	});

	it('buffers a point by a radius', async () => {
		const r = await callRoute(
			profileRoute.GET,
			u.analyst,
			'/api/v1/assessments/profile?lon=42.5&lat=36.5&buffer_km=20'
		);
		expect(r.status).toBe(200);
		const [w] = await e.db.queryOwner<{ n: number }>(
			`select count(*)::int as n from public.incidents
			 where st_dwithin(geom::geography, st_setsrid(st_point(42.5, 36.5), 4326)::geography, 20000)`
		);
		// The buffer is a 64-gon: within a few incidents of the true circle.
		expect(Math.abs(r.body.incidents.total - w.n)).toBeLessThanOrEqual(2);
		expect(r.body.area.mode).toBe('buffer');
		expect(r.body.area.area_km2).toBeGreaterThan(1240);
		expect(r.body.area.area_km2).toBeLessThan(1260);
	});

	it('refuses bad areas with a clear 400 naming the problem', async () => {
		const post = (body: unknown) => callRoute(profileRoute.POST, u.analyst, '/x', { body });
		const bowtie = {
			type: 'Polygon',
			coordinates: [
				[
					[42, 36],
					[43, 37],
					[43, 36],
					[42, 37],
					[42, 36]
				]
			]
		};
		let r = await post({ geometry: bowtie });
		expect(r.status).toBe(400);
		expect(r.body.parameter).toBe('geometry');
		expect(r.body.message).toMatch(/Self-intersection/i);

		r = await post({ geometry: { type: 'Polygon', coordinates: [] } });
		expect(r.status).toBe(400);
		expect(r.body.message).toMatch(/empty/);

		const ring = Array.from({ length: 6000 }, (_, i) => {
			const t = (i / 6000) * 2 * Math.PI;
			return [43 + 0.1 * Math.cos(t), 36.5 + 0.1 * Math.sin(t)];
		});
		r = await post({ geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]]] } });
		expect(r.status).toBe(400);
		expect(r.body.message).toMatch(/at most 5000/);

		r = await post({ geometry: { type: 'Point', coordinates: [43, 36.5] } });
		expect(r).toMatchObject({ status: 400, body: { parameter: 'buffer_km' } });

		r = await post({ area: 'IQD0101', geometry: POLYGON });
		expect(r).toMatchObject({ status: 400, body: { parameter: 'area' } });

		r = await callRoute(profileRoute.GET, u.analyst, '/api/v1/assessments/profile?area=IQD9999');
		expect(r.status).toBe(404);
		r = await callRoute(profileRoute.GET, null, '/api/v1/assessments/profile?area=IQD0101');
		expect(r.status).toBe(401);
	});

	it('shows contact names to those allowed, only a count to others, and audits the names', async () => {
		const a = await callRoute(profileRoute.GET, u.analyst, '/x?area=IQD0101');
		expect(a.body.contacts.count).toBe(2);
		expect(a.body.contacts.names.map((c: { full_name: string }) => c.full_name)).toEqual([
			'Normal Mukhtar',
			'Secret Commander'
		]);
		const v = await callRoute(profileRoute.GET, u.viewer, '/x?area=IQD0101');
		expect(v.body.contacts).toEqual({ count: 1, normal_count: 1, names: null });
		expect(JSON.stringify(v.body)).not.toContain('Secret Commander');
		const f = await callRoute(profileRoute.GET, u.field, '/x?area=IQD0101');
		expect(f.body.contacts).toEqual({ count: 1, normal_count: 1, names: [] });
		const [log] = await e.db.queryOwner<{ n: number }>(
			`select count(*)::int as n from public.audit_log where action = 'list' and table_name = 'contacts'
			 and actor_id = $1 and detail -> 'filters' ->> 'assessment' = 'true'`,
			[u.analyst.id]
		);
		expect(log.n).toBeGreaterThanOrEqual(1);
	});

	it('keeps community profiles with history; analysts edit, others are refused', async () => {
		let r = await callRoute(communityRoute.PATCH, u.analyst, '/x', {
			method: 'PATCH',
			params: { pcode: 'IQD0101' },
			body: {
				population: 40_000,
				population_source: 'OCHA',
				population_date: '2017-01-01',
				languages: ['Arabic']
			}
		});
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ population: 40_000, languages: ['Arabic'] });
		r = await callRoute(communityRoute.PATCH, u.analyst, '/x', {
			method: 'PATCH',
			params: { pcode: 'IQD0101' },
			body: { idps: 3000 }
		});
		expect(r.body).toMatchObject({ population: 40_000, idps: 3000 });
		r = await callRoute(communityRoute.PATCH, u.viewer, '/x', {
			method: 'PATCH',
			params: { pcode: 'IQD0101' },
			body: { idps: 1 }
		});
		expect(r.status).toBe(403);
		r = await callRoute(communityRoute.PATCH, u.analyst, '/x', {
			method: 'PATCH',
			params: { pcode: 'IQD0101' },
			body: { idps: -4 }
		});
		expect(r).toMatchObject({ status: 400, body: { parameter: 'idps' } });
		r = await callRoute(communityRoute.GET, u.viewer, '/x', { params: { pcode: 'IQD0101' } });
		expect(r.body.profile).toMatchObject({ population: 40_000, idps: 3000 });
		expect(r.body.history).toHaveLength(2);
		// The table itself refuses a viewer's write (RLS), whatever the route does.
		await expect(
			sqlAs(e.db, u.viewer, `update public.area_community set idps = 1 returning pcode`)
		).resolves.toEqual([]);
		// The profile gives the population, counted by the share of the area inside.
		const p = await callRoute(profileRoute.GET, u.viewer, '/x?area=IQD0101');
		expect(p.body.population).toMatchObject({ value: 40_000, level: 2 });
	});

	it('imports community profiles from CSV: all rows or none, bad rows named', async () => {
		const post = (text: string, as = u.analyst) =>
			callRoute(importRoute.POST, as, '/x', { body: text });
		let r = await post('pcode,population,returnees\nIQD0102,25000,100\nIQD9999,5,\n');
		expect(r.status).toBe(400);
		expect(r.body.message).toMatch(/row 3, column pcode/);
		const [none] = await e.db.queryOwner<{ n: number }>(
			`select count(*)::int as n from public.area_community where pcode = 'IQD0102'`
		);
		expect(none.n).toBe(0);
		r = await post('pcode,population\nIQD0102,lots\n');
		expect(r.body.errors).toEqual([
			{ row: 2, column: 'population', message: '"lots" is not a whole number' }
		]);
		r = await post('pcode,population,returnees\nIQD0102,25000,100\n', u.viewer);
		expect(r.status).toBe(403);
		r = await post('pcode,population,returnees\nIQD0102,25000,100\n');
		expect(r).toMatchObject({ status: 201, body: { imported: 1 } });
		const c = await callRoute(communityRoute.GET, u.viewer, '/x', { params: { pcode: 'IQD0102' } });
		expect(c.body.profile).toMatchObject({ population: 25_000, returnees: 100 });
		expect(c.body.history[0].source).toBe('import');
	});

	describe('saved assessments', () => {
		let draft: string;

		it('saves a draft with its snapshot; only its author and analysts see it', async () => {
			const r = await callRoute(listRoute.POST, u.field, '/x', {
				body: { title: 'Near the bridge', query: { geometry: POLYGON }, notes: '**Tense** area' }
			});
			expect(r.status).toBe(201);
			expect(r.body).toMatchObject({
				title: 'Near the bridge',
				status: 'draft',
				author_name: 'field'
			});
			expect(r.body.snapshot.incidents.total).toBeGreaterThan(0);
			draft = r.body.id;
			const other = await makeUser(e.db, 'field');
			for (const [who, sees] of [
				[u.field, true],
				[u.analyst, true],
				[u.admin, true],
				[u.viewer, false],
				[other, false]
			] as const) {
				const g = await callRoute(oneRoute.GET, who, '/x', { params: { id: draft } });
				expect(g.status, who.email).toBe(sees ? 200 : 404);
			}
			const v = await callRoute(listRoute.POST, u.viewer, '/x', {
				body: { title: 'x', query: { area: 'IQD0101' } }
			});
			expect(v.status).toBe(403);
			// Directly on the table too: a viewer cannot insert.
			await expect(
				sqlAs(
					e.db,
					u.viewer,
					`insert into public.assessments (title, query, snapshot, author_id) values ('x', '{}', '{}', $1)`,
					[u.viewer.id]
				)
			).rejects.toThrow(/row-level security/);
		});

		it('lets the author finalise; then viewers in scope read it without contact names', async () => {
			let r = await callRoute(oneRoute.PATCH, u.viewer, '/x', {
				method: 'PATCH',
				params: { id: draft },
				body: { status: 'final' }
			});
			expect(r.status).toBe(403);
			r = await callRoute(oneRoute.PATCH, u.field, '/x', {
				method: 'PATCH',
				params: { id: draft },
				body: { status: 'final', title: 'Near the bridge (final)' }
			});
			expect(r.status).toBe(200);
			expect(r.body.status).toBe('final');
			r = await callRoute(oneRoute.PATCH, u.analyst, '/x', {
				method: 'PATCH',
				params: { id: draft },
				body: { title: 'changed' }
			});
			expect(r.status).toBe(403);
			const v = await callRoute(oneRoute.GET, u.viewer, '/x', { params: { id: draft } });
			expect(v.status).toBe(200);
			expect(v.body.snapshot.contacts.names).toBeUndefined();
			expect(v.body.snapshot.contacts.count).toBe(1);
			expect(v.body.snapshot.incidents.points).toEqual([]);
			expect(JSON.stringify(v.body)).not.toContain('Secret Commander');
			// The author (field staff) saw no contact names; an analyst's snapshot has them, and a
			// viewer reading that final assessment still gets only the count.
			const mine = await callRoute(oneRoute.GET, u.analyst, '/x', { params: { id: draft } });
			expect(mine.body.snapshot.contacts.names).toEqual([]);
			const made = await callRoute(listRoute.POST, u.analyst, '/x', {
				body: { title: 'Alpha West', query: { area: 'IQD0101' } }
			});
			await callRoute(oneRoute.PATCH, u.analyst, '/x', {
				method: 'PATCH',
				params: { id: made.body.id },
				body: { status: 'final' }
			});
			expect(made.body.snapshot.contacts.names).toHaveLength(2);
			const seen = await callRoute(oneRoute.GET, u.viewer, '/x', { params: { id: made.body.id } });
			expect(seen.body.status).toBe('final');
			expect(seen.body.snapshot.contacts).toEqual({ count: 1 });
			expect(JSON.stringify(seen.body)).not.toContain('Secret Commander');
			// A viewer assigned to Beta only does not see it; one assigned to Alpha West does.
			const beta = await makeUser(e.db, 'viewer');
			const west = await makeUser(e.db, 'viewer');
			await e.db.queryOwner(
				`update public.app_users set assigned_areas = '{IQG02}' where id = $1`,
				[beta.id]
			);
			await e.db.queryOwner(
				`update public.app_users set assigned_areas = '{IQD0101}' where id = $1`,
				[west.id]
			);
			expect((await callRoute(oneRoute.GET, beta, '/x', { params: { id: draft } })).status).toBe(
				404
			);
			expect((await callRoute(oneRoute.GET, west, '/x', { params: { id: draft } })).status).toBe(
				200
			);
			const list = await callRoute(listRoute.GET, beta, '/x');
			expect(list.body.map((x: { id: string }) => x.id)).not.toContain(draft);
		});

		it('shows what changed when run again', async () => {
			await e.db
				.execOwner(`insert into public.incidents (event_date, event_type, geom, status, sensitive_location)
				values ('2016-06-01', 'battles', st_setsrid(st_point(42.9, 36.6), 4326), 'verified', false)`);
			// Run again by its author: the same lens as the snapshot (a re-run is the caller's view).
			const r = await callRoute(rerunRoute.POST, u.field, '/x', { params: { id: draft } });
			expect(r.status).toBe(200);
			const c = r.body.changes.find((x: { key: string }) => x.key === 'incidents.total');
			expect(c.after - c.before).toBe(1);
			expect(r.body.current.incidents.total).toBe(r.body.assessment.snapshot.incidents.total + 1);
		});

		it('deletes: the author a draft, an admin anything, nobody else', async () => {
			const d = await callRoute(listRoute.POST, u.analyst, '/x', {
				body: { title: 'Scratch', query: { area: 'IQD0102' } }
			});
			expect(
				(
					await callRoute(oneRoute.DELETE, u.field, '/x', {
						method: 'DELETE',
						params: { id: d.body.id }
					})
				).status
			).toBe(404);
			expect(
				(
					await callRoute(oneRoute.DELETE, u.analyst, '/x', {
						method: 'DELETE',
						params: { id: d.body.id }
					})
				).status
			).toBe(200);
			expect(
				(
					await callRoute(oneRoute.DELETE, u.field, '/x', {
						method: 'DELETE',
						params: { id: draft }
					})
				).status
			).toBe(403);
			expect(
				(
					await callRoute(oneRoute.DELETE, u.admin, '/x', {
						method: 'DELETE',
						params: { id: draft }
					})
				).status
			).toBe(200);
		});
	});
});
