/**
 * /api/v1/map/highlight: the incidents behind one bar of an analysis chart, on every engine. The
 * figure the map shows must be the bar's own: for each hour, weekday, actor, area group ("no
 * area" and "other" included) and stacked bin, the highlight's total is checked against what the
 * chart's endpoint counted, as each role may see, and bad parameters get a 400 naming them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';

import * as highlight from '../../src/routes/api/v1/map/highlight/+server.ts';
import * as statsIncidents from '../../src/routes/api/v1/stats/incidents/+server.ts';
import * as statsAreas from '../../src/routes/api/v1/stats/areas/+server.ts';
import * as statsTime from '../../src/routes/api/v1/stats/time-of-day/+server.ts';
import * as statsActors from '../../src/routes/api/v1/stats/actors/+server.ts';

const call = callRoute;

const A = '00000000-0000-0000-00a0-0000000000a1';
const B = '00000000-0000-0000-00a0-0000000000b2';
// 500 incidents over 2018: every 10th in no area, districts alternating, actor B on every 4th as
// side 2, the time exact for a third, the day known for another third, only the month for the rest.
const FIXTURE = `
insert into public.areas (pcode, level, name_en, parent_pcode, geom) values
  ('IQG81', 1, 'Hillside', null, st_multi(st_makeenvelope(43, 35, 45, 37, 4326))),
  ('IQD8101', 2, 'Upper Hill', 'IQG81', st_multi(st_makeenvelope(43, 36, 45, 37, 4326))),
  ('IQD8102', 2, 'Lower Hill', 'IQG81', st_multi(st_makeenvelope(43, 35, 45, 36, 4326)));
insert into public.actors (id, name, actor_type) values ('${A}', 'Group A', 'armed_group'), ('${B}', 'Group B', 'state_forces');
insert into public.incidents (event_date, event_type, geom, admin1_pcode, admin2_pcode, fatalities, status, confidentiality,
                              actor1_id, actor2_id, time_precision, event_time)
select date '2018-01-01' + (g % 365), (array['battles','protests','riots'])[1 + g % 3],
       st_setsrid(st_point(43.5 + (g % 10) * 0.1, 35.5 + (g % 2)), 4326),
       case when g % 10 = 0 then null else 'IQG81' end,
       case when g % 10 = 0 then null when g % 2 = 0 then 'IQD8102' else 'IQD8101' end,
       g % 4, case when g % 5 = 0 then 'reported' else 'verified' end, 'public',
       '${A}', case when g % 4 = 0 then '${B}'::uuid end,
       (array['exact','day','month'])[1 + g % 3],
       case when g % 3 = 0 then time '00:30' + (g % 24) * interval '1 hour' end
from generate_series(1, 500) g;
`;

describe.each(engineNames())('the highlight API on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		await e.db.execOwner(FIXTURE);
		setDb(e.db);
		u = await makeRoles(e.db);
	});
	afterAll(async () => e?.close());

	const total = async (as: CallerUser, q: string) => {
		const r = await call(highlight.GET, as, `/api/v1/map/highlight?${q}`);
		expect(r.status, q).toBe(200);
		return r.body.total as number;
	};

	it('counts each hour and weekday as the time-of-day chart does, for each role', async () => {
		for (const who of [u.analyst, u.viewer]) {
			const t = (await call(statsTime.GET, who, '/x?type=battles,riots')).body;
			for (let h = 0; h < 24; h++)
				expect(await total(who, `type=battles,riots&hour=${h}`), `hour ${h}`).toBe(t.by_hour[h]);
			for (let d = 1; d <= 7; d++)
				expect(await total(who, `type=battles,riots&dow=${d}`), `dow ${d}`).toBe(t.by_dow[d - 1]);
			expect(t.by_hour.some((n: number) => n > 0)).toBe(true);
		}
	});

	it('counts an actor on either side as the top-actors chart does', async () => {
		const actors = (await call(statsActors.GET, u.analyst, '/x?from=2018-03-01&to=2018-08-31')).body
			.actors as { id: string; n: number }[];
		expect(actors.map((a) => a.id).sort()).toEqual([A, B]);
		for (const a of actors)
			expect(await total(u.analyst, `from=2018-03-01&to=2018-08-31&actor=${a.id}`)).toBe(a.n);
	});

	it('counts an area, the "no area" group and an "other" group as the area and time charts do', async () => {
		const byArea = (await call(statsAreas.GET, u.analyst, '/x?level=2')).body;
		for (const a of byArea.areas as { pcode: string; n: number }[])
			expect(await total(u.analyst, `admin_level=2&admin_in=${a.pcode}`)).toBe(a.n);
		expect(await total(u.analyst, 'admin_level=2&admin_in=none')).toBe(byArea.unassigned.n);
		expect(byArea.unassigned.n).toBeGreaterThan(0);

		const stats = (
			await call(
				statsIncidents.GET,
				u.viewer,
				'/x?by=month&group=area2&from=2018-01-01&to=2018-12-31'
			)
		).body;
		const june = (stats.bins as { bin: string; key: string; n: number }[]).filter(
			(b) => b.bin === '2018-06-01'
		);
		const n = (key: string) => june.find((b) => b.key === key)?.n ?? 0;
		const q = 'from=2018-06-01&to=2018-06-30&admin_level=2';
		expect(await total(u.viewer, `${q}&admin_in=IQD8101`)).toBe(n('IQD8101'));
		expect(await total(u.viewer, `${q}&admin_in=none`)).toBe(n('none'));
		// "other" when only IQD8101 is drawn on its own: IQD8102 and the unplaced
		expect(await total(u.viewer, `${q}&admin_out=IQD8101`)).toBe(n('IQD8102') + n('none'));
		expect(await total(u.viewer, `${q}&admin_out=IQD8101,none`)).toBe(n('IQD8102'));
	});

	it('gives the points with exact counts, capped by limit', async () => {
		const r = await call(highlight.GET, u.analyst, '/api/v1/map/highlight?type=protests&limit=5');
		expect(r.body.total).toBeGreaterThan(5);
		expect(r.body.points).toHaveLength(5);
		expect(r.body.points[0]).toEqual([
			expect.any(String),
			expect.any(Number),
			expect.any(Number),
			'protests',
			expect.any(Number)
		]);
		expect(r.body.by_type).toEqual({ protests: r.body.total });
	});

	it('names the parameter of every bad request, and wants a caller', async () => {
		expect((await call(highlight.GET, null, '/x')).status).toBe(401);
		for (const [q, p] of [
			['hour=24', 'hour'],
			['hour=-1', 'hour'],
			['dow=0', 'dow'],
			['actor=nobody', 'actor'],
			['admin_in=IQG81', 'admin_level'],
			['admin_level=4&admin_in=IQG81', 'admin_level'],
			['admin_level=1&admin_out=iq-81', 'admin_out'],
			['limit=20001', 'limit'],
			['from=2018-02-30', 'from']
		]) {
			const r = await call(highlight.GET, u.analyst, `/x?${q}`);
			expect(r.status, q).toBe(400);
			expect(r.body.parameter, q).toBe(p);
		}
	});
});
