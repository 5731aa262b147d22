/**
 * Issue 12: an area's profile counts only incidents located precisely enough for the area, on
 * every engine. The demo data's "Northern Iraq" events (UCDP where_prec 5: geo_precision 3, no
 * P-code) sit at a centre point that falls in Tel Afar district; the profile counted them there by
 * point-in-polygon (385) while the incident list, filtered to Tel Afar, counted 193. Here the same
 * shape in small: a district with exact, district-level, governorate-level and region-level
 * incidents, the profile against the incident list's own server function and the counts API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import * as incidents from '../../src/lib/server/incidents/index.ts';
import { engineNames, makeRoles, openEngine, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';
import * as profileRoute from '../../src/routes/api/v1/assessments/profile/+server.ts';
import * as countsRoute from '../../src/routes/api/v1/incidents/counts/+server.ts';

// The region-level point lies inside district IQD0101, as 42.58333,36.16667 lies in Tel Afar.
const FIXTURE = `
insert into public.areas (pcode, level, name_en, name_ar, parent_pcode, geom) values
  ('IQG01', 1, 'Alpha', 'ألفا', null, st_multi(st_makeenvelope(42, 36, 44, 37.5, 4326))),
  ('IQD0101', 2, 'Alpha West', 'ألفا الغربية', 'IQG01', st_multi(st_makeenvelope(42, 36, 43, 37.5, 4326))),
  ('IQD0102', 2, 'Alpha East', 'ألفا الشرقية', 'IQG01', st_multi(st_makeenvelope(43, 36, 44, 37.5, 4326)));
-- 5 exact, placed in the district
insert into public.incidents (event_date, event_type, geom, geo_precision, admin1_pcode, admin2_pcode, status, confidentiality, location_name)
select date '2017-01-01' + i, 'battles', st_setsrid(st_point(42.1 + i * 0.1, 36.5), 4326), 1, 'IQG01', 'IQD0101',
       'verified', 'public', 'Village ' || i
from generate_series(1, 5) i;
-- 1 known to the district (UCDP where_prec 3): placed in the district, not exact
insert into public.incidents (event_date, event_type, geom, geo_precision, admin1_pcode, admin2_pcode, status, confidentiality, location_name)
values ('2017-02-01', 'battles', st_setsrid(st_point(42.5, 36.8), 4326), 2, 'IQG01', 'IQD0101', 'verified', 'public', 'Alpha West district');
-- 2 known to the governorate only, 3 to "Northern Iraq" only: both at a centre point in the district
insert into public.incidents (event_date, event_type, geom, geo_precision, admin1_pcode, status, confidentiality, location_name)
select date '2017-03-01' + i, 'battles', st_setsrid(st_point(42.58333, 36.16667), 4326), 3,
       case when i <= 2 then 'IQG01' end, 'verified', 'public',
       case when i <= 2 then 'Alpha province' else 'Northern Iraq' end
from generate_series(1, 5) i;
`;

// A drawn polygon around most of the district, holding every fixture point.
const POLYGON = {
	type: 'Polygon',
	coordinates: [
		[
			[42.05, 36.1],
			[42.95, 36.1],
			[42.95, 37.0],
			[42.05, 37.0],
			[42.05, 36.1]
		]
	]
};

type NotCounted = { total: number; by_precision: Record<'1' | '2' | '3', number> };

describe.each(engineNames())('assessment profile by location precision on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		setDb(e.db);
		await e.db.execOwner(FIXTURE);
		u = await makeRoles(e.db);
	});
	afterAll(async () => e?.close());

	const profile = async (who: CallerUser, query: string) => {
		const r = await callRoute(profileRoute.GET, who, `/api/v1/assessments/profile?${query}`);
		expect(r.status).toBe(200);
		return r.body.incidents as {
			total: number;
			counted_by: string;
			coarser_not_counted: NotCounted;
		};
	};
	const listTotal = async (who: CallerUser, area: string) =>
		(await incidents.list(who, new URLSearchParams({ area }))).total;
	const countsTotal = async (who: CallerUser, query: string) => {
		const r = await callRoute(countsRoute.GET, who, `/api/v1/incidents/counts?${query}`);
		expect(r.status).toBe(200);
		return r.body.total as number;
	};

	it('counts a district as the incident list does; coarser incidents inside are reported, not counted', async () => {
		for (const who of [u.analyst, u.viewer]) {
			const p = await profile(who, 'area=IQD0101');
			// Point-in-polygon gave 11: the 5 coarse ones at the centre point were credited here.
			expect(p.total).toBe(6);
			expect(p.total).toBe(await listTotal(who, 'IQD0101'));
			expect(p.total).toBe(await countsTotal(who, 'area=IQD0101'));
			expect(p.counted_by).toBe('area_pcode');
			expect(p.coarser_not_counted).toEqual({ total: 5, by_precision: { '1': 0, '2': 0, '3': 5 } });
		}
		// The governorate holds its own governorate-level incidents; "Northern Iraq" stays out.
		const g = await profile(u.analyst, 'area=IQG01');
		expect(g.total).toBe(8);
		expect(g.total).toBe(await listTotal(u.analyst, 'IQG01'));
		expect(g.coarser_not_counted).toEqual({ total: 3, by_precision: { '1': 0, '2': 0, '3': 3 } });
	});

	it('counts a drawn polygon by the place rule of the counts (exact locations only)', async () => {
		const r = await callRoute(profileRoute.POST, u.analyst, '/x', { body: { geometry: POLYGON } });
		expect(r.status).toBe(200);
		const p = r.body.incidents;
		expect(p.counted_by).toBe('exact_location');
		expect(p.total).toBe(5);
		expect(p.coarser_not_counted).toEqual({ total: 6, by_precision: { '1': 0, '2': 1, '3': 5 } });
		const g = encodeURIComponent(JSON.stringify(POLYGON));
		expect(p.total).toBe(await countsTotal(u.analyst, `geometry=${g}&precise=true`));
		expect(p.total + p.coarser_not_counted.total).toBe(
			await countsTotal(u.analyst, `geometry=${g}`)
		);
	});
});
