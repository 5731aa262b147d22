/**
 * The analysis API handlers (/api/v1/stats/*, /areas/{pcode}[/baseline|/levels], /proximity)
 * called as SvelteKit calls them after hooks.server.ts resolved the caller, on every engine:
 * what each role gets, and a 400 naming the parameter for each kind of bad input.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { analysisPaths } from '../../src/lib/server/analysis/openapi.ts';
import { engineNames, makeRoles, openEngine, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';

import * as statsIncidents from '../../src/routes/api/v1/stats/incidents/+server.ts';
import * as statsAreas from '../../src/routes/api/v1/stats/areas/+server.ts';
import * as statsCalendar from '../../src/routes/api/v1/stats/calendar/+server.ts';
import * as statsTime from '../../src/routes/api/v1/stats/time-of-day/+server.ts';
import * as statsActors from '../../src/routes/api/v1/stats/actors/+server.ts';
import * as statsSources from '../../src/routes/api/v1/stats/sources/+server.ts';
import * as statsBaseline from '../../src/routes/api/v1/stats/baseline/+server.ts';
import * as statsLevels from '../../src/routes/api/v1/stats/levels/+server.ts';
import * as area from '../../src/routes/api/v1/areas/[pcode]/+server.ts';
import * as areaBaseline from '../../src/routes/api/v1/areas/[pcode]/baseline/+server.ts';
import * as areaLevels from '../../src/routes/api/v1/areas/[pcode]/levels/+server.ts';
import * as proximity from '../../src/routes/api/v1/proximity/+server.ts';

const call = callRoute;

const FIXTURE = `
insert into public.areas (pcode, level, name_en, parent_pcode, geom) values
  ('IQG71', 1, 'Riverland', null, st_multi(st_makeenvelope(43, 35, 45, 37, 4326))),
  ('IQD7101', 2, 'Upper River', 'IQG71', st_multi(st_makeenvelope(43, 36, 45, 37, 4326))),
  ('IQD7102', 2, 'Lower River', 'IQG71', st_multi(st_makeenvelope(43, 35, 45, 36, 4326)));
insert into public.actors (id, name, actor_type) values ('00000000-0000-0000-00a0-0000000000a1', 'Group A', 'armed_group');
insert into public.incidents (event_date, event_type, geom, admin1_pcode, admin2_pcode, fatalities, status, confidentiality, actor1_id, time_precision, event_time)
select date '2018-01-01' + (g % 300), (array['battles','protests','riots'])[1 + g % 3],
       st_setsrid(st_point(43.5 + (g % 10) * 0.1, 35.5 + (g % 2)), 4326), 'IQG71',
       case when g % 2 = 0 then 'IQD7102' else 'IQD7101' end, g % 4,
       case when g % 5 = 0 then 'reported' else 'verified' end, 'public',
       '00000000-0000-0000-00a0-0000000000a1', case when g % 3 = 0 then 'exact' else 'day' end,
       case when g % 3 = 0 then time '08:00' + (g % 12) * interval '1 hour' end
from generate_series(1, 400) g;
insert into public.org_sites (id, name, site_type, geom) values
  ('00000000-0000-0000-00b0-0000000000b1', 'River Office', 'office', st_setsrid(st_point(43.95, 35.5), 4326));
`;

describe.each(engineNames())('analysis API on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		await e.db.execOwner(FIXTURE);
		setDb(e.db);
		u = await makeRoles(e.db);
	});
	afterAll(async () => e?.close());

	it('answers 401 without a caller', async () => {
		for (const h of [statsIncidents.GET, statsBaseline.GET, proximity.GET, statsLevels.GET]) {
			expect((await call(h, null, '/x?km=1&site_kind=org_sites')).status).toBe(401);
		}
	});

	it('counts per week and type with the map filters, as each role may see', async () => {
		const a = await call(
			statsIncidents.GET,
			u.analyst,
			'/api/v1/stats/incidents?by=week&group=type&from=2018-02-01&to=2018-06-30'
		);
		expect(a.status).toBe(200);
		const v = await call(
			statsIncidents.GET,
			u.viewer,
			'/api/v1/stats/incidents?by=week&group=type&from=2018-02-01&to=2018-06-30'
		);
		const [{ n: all }] = await e.db.queryOwner<{ n: number }>(
			`select count(*)::int as n from public.incidents where event_date between '2018-02-01' and '2018-06-30'`
		);
		const [{ n: verified }] = await e.db.queryOwner<{ n: number }>(
			`select count(*)::int as n from public.incidents where event_date between '2018-02-01' and '2018-06-30' and status = 'verified'`
		);
		expect(a.body.total).toBe(all);
		expect(v.body.total).toBe(verified);
		expect(a.body.bins.reduce((s: number, b: { n: number }) => s + b.n, 0)).toBe(all);
		expect(a.body).toMatchObject({ by: 'week', group: 'type' });
	});

	it('serves every chart of the analysis screen', async () => {
		expect((await call(statsAreas.GET, u.viewer, '/x?level=2')).body.areas).toHaveLength(2);
		expect(
			(await call(statsCalendar.GET, u.viewer, '/x?from=2018-01-01&to=2018-01-31')).body.days.length
		).toBeGreaterThan(0);
		const t = (await call(statsTime.GET, u.viewer, '/x')).body;
		expect(t.by_hour).toHaveLength(24);
		expect(t.with_time).toBeGreaterThan(0);
		expect((await call(statsActors.GET, u.viewer, '/x?limit=5')).body.actors[0]).toMatchObject({
			name: 'Group A'
		});
		expect((await call(statsSources.GET, u.viewer, '/x')).body).toEqual([
			expect.objectContaining({ source: null })
		]);
	});

	it('answers the baseline of the country, an area and all areas as of a date', async () => {
		const table = await call(statsBaseline.GET, u.viewer, '/x?as_of=2018-10-27&level=2');
		expect(table.status).toBe(200);
		expect(table.body.rows.map((r: { pcode: string }) => r.pcode).sort()).toEqual([
			'IQD7101',
			'IQD7102'
		]);
		const one = await call(areaBaseline.GET, u.viewer, '/x?as_of=2018-10-27', {
			params: { pcode: 'IQD7101' }
		});
		expect(one.body.row).toEqual(
			table.body.rows.find((r: { pcode: string }) => r.pcode === 'IQD7101')
		);
		expect(one.body.weeks).toHaveLength(56);
		expect(
			(await call(areaBaseline.GET, u.viewer, '/x', { params: { pcode: 'IQX999' } })).status
		).toBe(404);
	});

	it('names the parameter of every bad request', async () => {
		const bad = async (h: unknown, path: string, params?: Record<string, string>) => {
			const r = await call(h, u.analyst, path, { params });
			expect(r.status, path).toBe(400);
			return r.body.parameter;
		};
		expect(await bad(statsIncidents.GET, '/x?by=year')).toBe('by');
		expect(await bad(statsIncidents.GET, '/x?group=actor')).toBe('group');
		expect(await bad(statsIncidents.GET, '/x?from=2018-02-30')).toBe('from');
		expect(await bad(statsIncidents.GET, '/x?type=picnic')).toBe('type');
		expect(await bad(statsIncidents.GET, '/x?bbox=1,2,3')).toBe('bbox');
		expect(await bad(statsIncidents.GET, '/x?area=nope')).toBe('area');
		expect(await bad(statsAreas.GET, '/x?level=4')).toBe('level');
		expect(await bad(statsActors.GET, '/x?limit=0')).toBe('limit');
		expect(await bad(statsBaseline.GET, '/x?as_of=yesterday')).toBe('as_of');
		expect(await bad(statsBaseline.GET, '/x?level=9')).toBe('level');
		expect(await bad(areaBaseline.GET, '/x', { pcode: 'iq-01' })).toBe('pcode');
		expect(await bad(proximity.GET, '/x?site_kind=org_sites')).toBe('km');
		expect(await bad(proximity.GET, '/x?km=abc&site_kind=org_sites')).toBe('km');
		expect(await bad(proximity.GET, '/x?km=5')).toBe('site_kind');
		expect(await bad(proximity.GET, '/x?km=5&site_kind=mosques')).toBe('site_kind');
		expect(await bad(proximity.GET, '/x?km=5&site_kind=org_sites&days=0')).toBe('days');
		expect(await bad(proximity.GET, '/x?km=5&geometry={bad')).toBe('geometry');
		// validated in SQL, still named
		expect(
			await bad(
				proximity.GET,
				`/x?km=5&geometry=${encodeURIComponent(JSON.stringify({ type: 'Point', coordinates: [500, 1] }))}`
			)
		).toBe('geometry');
	});

	it('finds incidents near our sites by GET and near a drawn polygon by POST', async () => {
		const g = await call(
			proximity.GET,
			u.viewer,
			'/x?km=10&days=365&as_of=2018-12-31&site_kind=org_sites'
		);
		expect(g.status).toBe(200);
		expect(g.body.targets).toEqual([
			expect.objectContaining({ name: 'River Office', n: g.body.total })
		]);
		expect(g.body.total).toBeGreaterThan(0);
		const polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[43.4, 35.4],
					[44.1, 35.4],
					[44.1, 35.6],
					[43.4, 35.6],
					[43.4, 35.4]
				]
			]
		};
		const p = await call(proximity.POST, u.viewer, '/x', {
			body: { km: 1, days: 400, as_of: '2018-12-31', geometry: polygon }
		});
		expect(p.status).toBe(200);
		expect(p.body.total).toBeGreaterThan(g.body.total - 1);
		expect((await call(proximity.POST, u.viewer, '/x', { body: '[1,2]' })).body.parameter).toBe(
			'body'
		);
	});

	it('lets an analyst record a level, keeps the history, and refuses a viewer', async () => {
		const params = { pcode: 'IQD7101' };
		const ok = await call(areaLevels.POST, u.analyst, '/x', {
			params,
			body: { level: 4, note: 'Road closed after clashes', effective_date: '2018-10-01' }
		});
		expect(ok.status).toBe(201);
		expect(ok.body).toMatchObject({ level: 4, pcode: 'IQD7101', recorded_by: u.analyst.id });
		const denied = await call(areaLevels.POST, u.viewer, '/x', {
			params,
			body: { level: 1, note: 'All calm' }
		});
		expect(denied.status).toBe(403);
		const history = await call(areaLevels.GET, u.viewer, '/x', { params });
		expect(history.body.map((h: { level: number }) => h.level)).toEqual([4]);
		const current = await call(statsLevels.GET, u.field, '/x?as_of=2018-10-15&level=2');
		expect(current.body).toEqual([
			expect.objectContaining({ pcode: 'IQD7101', level: 4, inherited: false })
		]);
		const profile = await call(area.GET, u.viewer, '/x', { params });
		expect(profile.body.current_level).toMatchObject({ level: 4 });
	});

	it('answers field errors for a bad level, date, note or area', async () => {
		const post = (body: unknown, pcode = 'IQD7101') =>
			call(areaLevels.POST, u.analyst, '/x', { params: { pcode }, body });
		const tomorrowPlus = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
		expect((await post({ level: 6, note: 'x' })).body.parameter).toBe('level');
		expect((await post({ level: '2.5', note: 'x' })).body.parameter).toBe('level');
		expect((await post({ level: 2, note: '  ' })).body.parameter).toBe('note');
		expect((await post({ level: 2 })).body.parameter).toBe('note');
		expect((await post({ level: 2, note: 'x', effective_date: tomorrowPlus })).body).toMatchObject({
			parameter: 'effective_date',
			message: expect.stringMatching(/future/)
		});
		expect((await post({ level: 2, note: 'x', effective_date: '2018-13-01' })).body.parameter).toBe(
			'effective_date'
		);
		const unknown = await post({ level: 2, note: 'x' }, 'IQX404');
		expect(unknown.status).toBe(404);
		expect(unknown.body.message).toBe('pcode: no area with P-code IQX404');
		expect(
			(await call(areaLevels.GET, u.viewer, '/x', { params: { pcode: 'IQX404' } })).status
		).toBe(404);
	});

	it('describes every analysis route in its OpenAPI paths', () => {
		const root = join(import.meta.dirname, '..', '..', 'src', 'routes', 'api', 'v1');
		const mine = ['stats', 'proximity', join('areas', '[pcode]'), join('map', 'highlight')];
		const found: string[] = [];
		const walk = (dir: string) => {
			for (const name of readdirSync(dir)) {
				const p = join(dir, name);
				if (statSync(p).isDirectory()) walk(p);
				else if (name === '+server.ts')
					found.push(
						'/' +
							relative(root, dir)
								.split('/')
								.map((s) => s.replace(/^\[(\w+)\]$/, '{$1}'))
								.join('/')
					);
			}
		};
		for (const m of mine) walk(join(root, m));
		// An area's community profile lives under /areas/{pcode} but belongs to the assessments
		// (documented in assessments/openapi.ts).
		const analysis = found.filter((p) => p !== '/areas/{pcode}/community');
		expect(Object.keys(analysisPaths).sort()).toEqual(analysis.sort());
	});
});
