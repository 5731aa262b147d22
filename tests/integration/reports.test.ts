/**
 * Sitreps and saved reports on every engine: the sitrep's figures against counts computed
 * independently from the incidents table (October 2016 of the demo data), an honest empty
 * period, bad input as 400s, and the RLS matrix of reports / report_versions (drafts for
 * analysts and authors, final reports for readers in scope, versions for analysts only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, makeUser, openEngine, sqlAs, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';
import * as sitrepRoute from '../../src/routes/api/v1/reports/sitrep/+server.ts';
import * as listRoute from '../../src/routes/api/v1/reports/+server.ts';
import * as oneRoute from '../../src/routes/api/v1/reports/[id]/+server.ts';
import type { SavedReport, Sitrep } from '../../src/lib/domain/reports.ts';

const OCT = '/api/v1/reports/sitrep?from=2016-10-01&to=2016-10-31';

describe.each(engineNames())('sitrep and reports on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	const count = async (where: string) =>
		(
			await e.db.queryOwner<{ n: number }>(
				`select count(*)::int as n from public.incidents where ${where}`
			)
		)[0].n;

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		setDb(e.db);
		u = await makeRoles(e.db);
	});
	afterAll(async () => {
		await e?.close();
	});

	it('counts October 2016 as the incidents table does, for each role', async () => {
		const inOct = `event_date between '2016-10-01' and '2016-10-31'`;
		const all = await count(inOct);
		const open = await count(
			`${inOct} and status = 'verified' and confidentiality <> 'restricted'`
		);
		expect(all).toBeGreaterThan(50);
		const a = await callRoute<Sitrep>(sitrepRoute.GET, u.analyst, OCT);
		expect(a.status).toBe(200);
		expect(a.body.headline.total).toBe(all);
		const v = await callRoute<Sitrep>(sitrepRoute.GET, u.viewer, OCT);
		expect(v.body.headline.total).toBe(open);
		// the parts add up to the whole
		const s = a.body;
		expect(s.by_type.reduce((n, r) => n + r.n, 0)).toBe(all);
		expect(s.by_area.reduce((n, r) => n + r.n, 0) + s.unassigned).toBe(all);
		expect(s.bins.reduce((n, r) => n + r.n, 0)).toBe(all);
		expect(s.period).toMatchObject({ from: '2016-10-01', to: '2016-10-31', days: 31, bin: 'day' });
		// fatalities, serious, previous period and baseline, each from its own count
		const [{ f }] = await e.db.queryOwner<{ f: number }>(
			`select coalesce(sum(fatalities), 0)::int as f from public.incidents where ${inOct}`
		);
		expect(s.headline.fatalities).toBe(f);
		expect(s.headline.serious).toBe(await count(`${inOct} and serious`));
		expect(s.headline.previous_total).toBe(
			await count(`event_date between '2016-08-31' and '2016-09-30'`)
		);
		const base = await count(`event_date between '2015-10-03' and '2016-09-30'`);
		expect(s.baseline.all.baseline).toBe(base);
		expect(s.baseline.all.expected).toBeCloseTo((base * 31) / 364, 2);
		// Ninewa alone, by its districts
		const ninewa = await callRoute<Sitrep>(sitrepRoute.GET, u.analyst, `${OCT}&area=IQG15`);
		expect(ninewa.body.headline.total).toBe(await count(`${inOct} and admin1_pcode = 'IQG15'`));
		expect(ninewa.body.group_level).toBe(2);
		const districts = (
			await e.db.queryOwner<{ pcode: string }>(
				`select pcode from public.areas where parent_pcode = 'IQG15'`
			)
		).map((r) => r.pcode);
		expect(ninewa.body.by_area.length).toBeGreaterThan(0);
		for (const r of ninewa.body.by_area) expect(districts).toContain(r.pcode);
	});

	it('gives an honest empty report for a period with no data', async () => {
		const r = await callRoute<Sitrep>(
			sitrepRoute.GET,
			u.viewer,
			'/api/v1/reports/sitrep?from=2031-01-01&to=2031-01-07'
		);
		expect(r.status).toBe(200);
		expect(r.body.headline.total).toBe(0);
		expect(r.body.by_type).toEqual([]);
		expect(r.body.notable).toEqual([]);
		expect(r.body.points).toEqual([]);
		expect(r.body.period.days).toBe(7);
	});

	it('answers bad input with a 400 naming the parameter, and 401 without a user', async () => {
		const bad = async (q: string) =>
			(await callRoute(sitrepRoute.GET, u.viewer, `/api/v1/reports/sitrep?${q}`)).body;
		expect(await bad('from=2016-10-31&to=2016-10-01')).toMatchObject({ parameter: 'to' });
		expect(await bad('to=2016-10-01')).toMatchObject({ parameter: 'from' });
		expect(await bad('from=2016-10-01&to=2016-10-31&area=IQG99')).toMatchObject({
			parameter: 'area'
		});
		expect(
			await bad('from=2016-10-01&to=2016-10-31&base=00000000-0000-0000-0000-000000000000')
		).toMatchObject({
			parameter: 'base'
		});
		expect(await bad('from=2016-10-01&to=2016-10-31&format=docx')).toMatchObject({
			parameter: 'format'
		});
		expect((await callRoute(sitrepRoute.GET, null, OCT)).status).toBe(401);
	});

	it('keeps drafts to analysts and authors, final reports to readers in scope, versions to analysts', async () => {
		const fieldIn = await makeUser(e.db, 'field');
		const fieldOut = await makeUser(e.db, 'field');
		const [{ pcode: district }] = await e.db.queryOwner<{ pcode: string }>(
			`select pcode from public.areas where parent_pcode = 'IQG15' order by pcode limit 1`
		);
		await e.db.execOwner(
			`update public.app_users set assigned_areas = '{${district}}' where id = '${fieldIn.id}';
			 update public.app_users set assigned_areas = '{IQG09}' where id = '${fieldOut.id}'`
		);
		const body = {
			title: 'Ninewa, October 2016',
			period_from: '2016-10-01',
			period_to: '2016-10-31',
			area_pcode: 'IQG15',
			sections: [{ heading: 'Analysis', markdown: '**Mosul** offensive <script>x</script>' }]
		};
		expect((await callRoute(listRoute.POST, u.viewer, '/api/v1/reports', { body })).status).toBe(
			403
		);
		expect((await callRoute(listRoute.POST, u.field, '/api/v1/reports', { body })).status).toBe(
			403
		);
		const badLevel = await callRoute(listRoute.POST, u.analyst, '/api/v1/reports', {
			body: { ...body, period_to: '2016-09-01' }
		});
		expect(badLevel.status).toBe(400);
		const made = await callRoute<SavedReport>(listRoute.POST, u.analyst, '/api/v1/reports', {
			body
		});
		expect(made.status).toBe(201);
		const id = made.body.id;
		expect(made.body).toMatchObject({ status: 'draft', version: 1, title: body.title });
		expect(made.body.sections).toEqual(body.sections);

		const sees = async (who: CallerUser) => ({
			list: (
				(await callRoute<SavedReport[]>(listRoute.GET, who, '/api/v1/reports')).body ?? []
			).some((r) => r.id === id),
			one: (await callRoute(oneRoute.GET, who, `/api/v1/reports/${id}`, { params: { id } })).status
		});
		// a draft: its author and the other analysts and admins, nobody else
		expect(await sees(u.analyst)).toEqual({ list: true, one: 200 });
		expect(await sees(u.admin)).toEqual({ list: true, one: 200 });
		expect(await sees(u.viewer)).toEqual({ list: false, one: 404 });
		expect(await sees(fieldIn)).toEqual({ list: false, one: 404 });

		// final: every reader in scope; a field user of another governorate does not see it
		const patch = (b: unknown, who = u.admin) =>
			callRoute<SavedReport>(oneRoute.PATCH, who, `/api/v1/reports/${id}`, {
				method: 'PATCH',
				params: { id },
				body: b
			});
		expect((await patch({ status: 'final', version: 1 }, u.viewer)).status).toBe(403);
		const fin = await patch({ status: 'final', version: 1 });
		expect(fin.status).toBe(200);
		expect(fin.body).toMatchObject({ status: 'final', version: 2 });
		expect(fin.body.sections).toEqual(body.sections);
		expect(fin.body.versions?.map((v) => v.version)).toEqual([1]);
		expect((await patch({ title: 'stale', version: 1 })).status).toBe(409);
		expect(await sees(u.viewer)).toEqual({ list: true, one: 200 });
		expect(await sees(fieldIn)).toEqual({ list: true, one: 200 });
		expect(await sees(fieldOut)).toEqual({ list: false, one: 404 });

		// the tables themselves, under RLS
		const versions = 'select count(*)::int as n from public.report_versions';
		expect((await sqlAs<{ n: number }>(e.db, u.analyst, versions))[0].n).toBeGreaterThan(0);
		expect((await sqlAs<{ n: number }>(e.db, u.viewer, versions))[0].n).toBe(0);
		await expect(
			sqlAs(e.db, u.viewer, `update public.reports set title = 'x' where id = $1 returning id`, [
				id
			])
		).resolves.toEqual([]);
		await expect(
			sqlAs(
				e.db,
				u.viewer,
				`insert into public.reports (title, period_from, period_to) values ('x', '2016-01-01', '2016-01-02')`
			)
		).rejects.toThrow(/row-level security/);
		await expect(
			sqlAs(e.db, u.analyst, `delete from public.reports where id = $1 returning id`, [id])
		).resolves.toEqual([]);
		await expect(
			sqlAs(e.db, u.admin, `delete from public.reports where id = $1 returning id`, [id])
		).resolves.toHaveLength(1);
	});
});
