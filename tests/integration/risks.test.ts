/**
 * The risk register on every engine: the suggested likelihood against a hand-computed Poisson
 * example, bad input refused with nothing half-saved, acceptance and history, review reminders,
 * and the RLS matrix of risks / risk_mitigations / risk_history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';
import * as listRoute from '../../src/routes/api/v1/risks/+server.ts';
import * as oneRoute from '../../src/routes/api/v1/risks/[id]/+server.ts';
import * as acceptRoute from '../../src/routes/api/v1/risks/[id]/accept/+server.ts';
import * as suggestRoute from '../../src/routes/api/v1/risks/suggest/+server.ts';
import { sweepRiskReviews } from '../../src/lib/server/risks/index.ts';
import type { Risk, RiskSuggestion } from '../../src/lib/domain/risks.ts';

// One test governorate; as of 2024-06-30 the 52-week window is 2023-07-03 … 2024-06-30 and the
// last 13 weeks start after 2024-03-31. Battles: 4 in the last 13 weeks, 2 before them in the
// window, and 2 outside it (2023-07-02, 2024-07-01). One abduction (kidnapping), one protest.
const AREA = `insert into public.areas (pcode, level, name_en, parent_pcode, geom) values
  ('IQG97', 1, 'Riskland', null, st_multi(st_makeenvelope(40, 30, 41, 31, 4326)))`;
const row = (d: string, type: string, extra = 'null') =>
	`('${d}', '${type}', 'IQG97', st_point(40.5, 30.5, 4326), 'verified', 'public', ${extra})`;
const INCIDENTS = `insert into public.incidents (event_date, event_type, admin1_pcode, geom, status, confidentiality, abductions) values
  ${[
		row('2024-06-29', 'battles'),
		row('2024-05-01', 'battles'),
		row('2024-04-15', 'battles'),
		row('2024-04-01', 'battles'),
		row('2024-03-31', 'battles'),
		row('2023-07-03', 'battles'),
		row('2023-07-02', 'battles'),
		row('2024-07-01', 'battles'),
		row('2024-02-01', 'violence_against_civilians', '2'),
		row('2024-02-02', 'protests')
	].join(',\n  ')}`;

describe.each(engineNames())('risk register on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	const risks = async () =>
		(await e.db.queryOwner<{ n: number }>('select count(*)::int as n from public.risks'))[0].n;
	const suggest = (q: string, as = u.viewer) =>
		callRoute<RiskSuggestion>(suggestRoute.GET, as, `/api/v1/risks/suggest?${q}`);

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		setDb(e.db);
		u = await makeRoles(e.db);
		await e.db.execOwner(`${AREA}; ${INCIDENTS}`);
	});
	afterAll(async () => {
		await e?.close();
	});

	it('suggests the likelihood as the hand-computed Poisson example', async () => {
		const r = await suggest('area=IQG97&category=armed_conflict&as_of=2024-06-30');
		expect(r.status).toBe(200);
		// n = 6 battles in the 52 weeks; rate 6/52 = 0.1154 a week; λ = 6 × 30/364 = 0.494505;
		// P = 1 − e^−0.494505 = 0.390128 → 3 (20 % ≤ P < 50 %); 4 in the last 13 weeks, 2 before:
		// both under 5, so 'stable'.
		expect(r.body).toMatchObject({
			available: true,
			n_52w: 6,
			n_13w: 4,
			n_prior_39w: 2,
			rate_per_week: 0.1154,
			lambda_30d: 0.4945,
			p_30d: 0.3901,
			suggested: 3,
			trend: 'stable',
			window: { from: '2023-07-03', to: '2024-06-30', weeks: 52 }
		});
		// one abduction: λ = 30/364 = 0.082418, P = 0.079113 → 2
		const k = await suggest('area=IQG97&category=kidnapping&as_of=2024-06-30');
		expect(k.body).toMatchObject({ n_52w: 1, p_30d: 0.0791, suggested: 2 });
		// crime is violence against civilians without abductions: none here
		expect((await suggest('area=IQG97&category=crime&as_of=2024-06-30')).body).toMatchObject({
			n_52w: 0,
			p_30d: 0,
			suggested: 1
		});
		expect((await suggest('area=IQG97&category=health')).body).toMatchObject({
			available: false,
			suggested: null
		});
		expect((await suggest('area=IQG97&category=weather')).body).toMatchObject({
			parameter: 'category'
		});
	});

	it('refuses a likelihood or impact outside 1–5 and an unexplained override, saving nothing', async () => {
		const base = {
			title: 'Clashes on the main supply route',
			scope: 'area',
			area_pcode: 'IQG97',
			threat_category: 'armed_conflict',
			impact: 4,
			as_of: '2024-06-30',
			mitigations: [{ action: 'Daylight travel only', owner: 'SLO', due_date: '2024-07-15' }]
		};
		const before = await risks();
		for (const [field, body] of [
			['likelihood', { ...base, likelihood: 6 }],
			['likelihood', { ...base, likelihood: 0 }],
			['likelihood', { ...base, likelihood: 2.5 }],
			['impact', { ...base, likelihood: 3, impact: 9 }],
			['likelihood_reason', { ...base, likelihood: 5 }]
		] as const) {
			const r = await callRoute(listRoute.POST, u.analyst, '/api/v1/risks', { body });
			expect(r.status, JSON.stringify(body)).toBe(400);
			expect(r.body.parameter).toBe(field);
		}
		expect(await risks()).toBe(before);
		expect(
			(
				await e.db.queryOwner<{ n: number }>(
					'select count(*)::int as n from public.risk_mitigations'
				)
			)[0].n
		).toBe(0);
	});

	it('keeps a risk, its acceptance and its history; reminds of its review once', async () => {
		const made = await callRoute<Risk>(listRoute.POST, u.analyst, '/api/v1/risks', {
			body: {
				title: 'Clashes on the main supply route',
				scope: 'area',
				area_pcode: 'IQG97',
				threat_category: 'armed_conflict',
				vulnerability: 'Soft-skin vehicles',
				likelihood: 4,
				likelihood_reason: 'Offensive announced for July',
				impact: 4,
				as_of: '2024-06-30',
				review_date: '2020-01-01',
				mitigations: [{ action: 'Daylight travel only', owner: 'SLO', due_date: '2024-07-15' }]
			}
		});
		expect(made.status).toBe(201);
		const id = made.body.id;
		expect(made.body).toMatchObject({
			score: 16,
			likelihood: 4,
			likelihood_suggested: 3,
			likelihood_reason: 'Offensive announced for July',
			version: 1,
			accepted_at: null
		});
		expect(made.body.suggestion?.p_30d).toBe(0.3901);
		expect(made.body.mitigations).toMatchObject([
			{ action: 'Daylight travel only', owner: 'SLO', due_date: '2024-07-15', done: false }
		]);

		const patched = await callRoute<Risk>(oneRoute.PATCH, u.analyst, `/api/v1/risks/${id}`, {
			method: 'PATCH',
			params: { id },
			body: { residual_likelihood: 2, residual_impact: 4, version: 1 }
		});
		expect(patched.body).toMatchObject({ residual_score: 8, version: 2, score: 16 });
		expect(
			(
				await callRoute(oneRoute.PATCH, u.analyst, `/api/v1/risks/${id}`, {
					method: 'PATCH',
					params: { id },
					body: { impact: 5, version: 1 }
				})
			).status
		).toBe(409);

		expect(
			(
				await callRoute(acceptRoute.POST, u.viewer, `/api/v1/risks/${id}/accept`, {
					params: { id },
					body: {}
				})
			).status
		).toBe(403);
		const acc = await callRoute<Risk>(acceptRoute.POST, u.admin, `/api/v1/risks/${id}/accept`, {
			params: { id },
			body: {}
		});
		expect(acc.status).toBe(200);
		expect(acc.body.accepted_by).toBe(u.admin.id);
		expect(acc.body.accepted_at).toBeTruthy();
		expect(acc.body.history?.map((h) => h.version)).toEqual([2, 1]);
		expect(acc.body.history?.[1].content.likelihood).toBe(4);

		// saved again as it is (the form sent back unchanged, mitigations included): nothing
		// changes, not the version, the history, updated_at nor the dated suggestion
		const same = await callRoute<Risk>(oneRoute.PATCH, u.analyst, `/api/v1/risks/${id}`, {
			method: 'PATCH',
			params: { id },
			body: {
				residual_likelihood: 2,
				residual_impact: 4,
				review_date: '2020-01-01',
				mitigations: [{ action: 'Daylight travel only', owner: 'SLO', due_date: '2024-07-15' }],
				version: 3
			}
		});
		expect(same.status).toBe(200);
		expect(same.body).toEqual(acc.body);
		const changed = await callRoute<Risk>(oneRoute.PATCH, u.analyst, `/api/v1/risks/${id}`, {
			method: 'PATCH',
			params: { id },
			body: { mitigations: [{ action: 'Daylight travel only', owner: 'SLO', due_date: null }] }
		});
		expect(changed.body).toMatchObject({ version: 4, suggestion: acc.body.suggestion });
		expect(changed.body.mitigations[0].due_date).toBeNull();

		// a viewer reads the register and the risk, not its history
		const v = await callRoute<Risk>(oneRoute.GET, u.viewer, `/api/v1/risks/${id}`, {
			params: { id }
		});
		expect(v.status).toBe(200);
		expect(v.body.history).toEqual([]);
		expect(
			(await callRoute<Risk[]>(listRoute.GET, u.viewer, '/api/v1/risks')).body.map((r) => r.id)
		).toContain(id);

		// reminders: once per review date
		const first = await sweepRiskReviews();
		expect(first).toHaveLength(1);
		expect(await sweepRiskReviews()).toHaveLength(0);
		const [alert] = await e.db.queryOwner<{ title: string; target_roles: string[] }>(
			`select title, target_roles from public.alerts where id = $1`,
			[first[0]]
		);
		expect(alert.title).toMatch(/Risk review due 2020-01-01: Clashes/);
	});

	it('lets only analysts and admins write, and only admins delete (RLS on the tables)', async () => {
		const [{ id }] = await e.db.queryOwner<{ id: string }>('select id from public.risks limit 1');
		expect((await callRoute(listRoute.POST, u.field, '/api/v1/risks', { body: {} })).status).toBe(
			403
		);
		for (const who of [u.viewer, u.field]) {
			await expect(
				sqlAs(e.db, who, `update public.risks set impact = 1 where id = $1 returning id`, [id])
			).resolves.toEqual([]);
			await expect(
				sqlAs(e.db, who, `insert into public.risk_mitigations (risk_id, action) values ($1, 'x')`, [
					id
				])
			).rejects.toThrow(/row-level security/);
			await expect(sqlAs(e.db, who, 'select * from public.risk_history')).resolves.toEqual([]);
			await expect(sqlAs(e.db, who, 'select id from public.risks')).resolves.not.toEqual([]);
		}
		await expect(
			sqlAs(e.db, u.analyst, `delete from public.risks where id = $1 returning id`, [id])
		).resolves.toEqual([]);
		await expect(
			sqlAs(e.db, u.admin, `delete from public.risks where id = $1 returning id`, [id])
		).resolves.toHaveLength(1);
		await expect(sqlAs(e.db, 'anon', 'select id from public.risks')).rejects.toThrow();
	});
});
