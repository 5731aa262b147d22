/**
 * Editing a risk on /risks/[id] on every engine: the page's `edit` action runs saveRisk as the
 * caller. Likelihood or impact outside 1–5 (or blank) is refused naming the field and nothing is
 * written; a real change keeps the previous version (with its mitigations) in risk_history; the
 * same form sent again writes nothing; a viewer is refused by the SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, type Engine } from './helpers/db.ts';
import { getRisk, saveRisk } from '../../src/lib/server/risks/index.ts';
import * as page from '../../src/routes/(app)/risks/[id]/+page.server.ts';

type Failure = { status: number; data: { field: string; message: string } };

describe.each(engineNames())('editing a risk on its page, on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let id = '';

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		setDb(e.db);
		u = await makeRoles(e.db);
		const r = await saveRisk(u.analyst, null, {
			title: 'Road ambush',
			scope: 'programme',
			programme: 'Health',
			threat_category: 'crime',
			likelihood: 2,
			impact: 3,
			mitigations: [{ action: 'Convoys', owner: 'Logistics', due_date: '2030-01-01' }]
		});
		id = r.id;
	});
	afterAll(async () => e?.close());

	const edit = async (who: CallerUser, fields: Record<string, string>) => {
		const f = new FormData();
		for (const [k, v] of Object.entries(fields)) f.set(k, v);
		const request = new Request('http://terrain.test/x', { method: 'POST', body: f });
		return (page.actions.edit as (e: never) => Promise<unknown>)({
			locals: { user: who },
			params: { id },
			request
		} as never);
	};
	const form = (over: Record<string, string> = {}) => ({
		version: '1',
		mitigation_rows: '2',
		title: 'Road ambush',
		likelihood: '2',
		impact: '3',
		m0_action: 'Convoys',
		m0_owner: 'Logistics',
		m0_due: '2030-01-01',
		m1_action: '',
		...over
	});

	it('refuses a likelihood or impact outside 1–5 by its field, and writes nothing', async () => {
		for (const [field, value] of [
			['likelihood', '7'],
			['likelihood', '0'],
			['impact', '6'],
			['impact', ''],
			['likelihood', '2.5']
		]) {
			const r = (await edit(u.analyst, form({ [field]: value }))) as Failure;
			expect(r.status, `${field}=${value}`).toBe(400);
			expect(r.data.field).toBe(field);
		}
		const r = await getRisk(u.analyst, id);
		expect(r).toMatchObject({ version: 1, likelihood: 2, impact: 3 });
		expect(r!.history).toEqual([]);
	});

	it('sending the form unchanged writes nothing', async () => {
		expect(await edit(u.analyst, form())).toEqual({ edited: true });
		expect((await getRisk(u.analyst, id))!.version).toBe(1);
	});

	it('keeps the previous version, mitigations included, when the risk changes', async () => {
		const r = await edit(
			u.admin,
			form({
				title: 'Road ambush, north',
				likelihood: '4',
				impact: '5',
				m0_action: '',
				m1_action: 'Armoured car',
				m1_owner: 'Security',
				m1_done: 'on'
			})
		);
		expect(r).toEqual({ edited: true });
		const after = await getRisk(u.analyst, id);
		expect(after).toMatchObject({
			title: 'Road ambush, north',
			likelihood: 4,
			impact: 5,
			score: 20
		});
		expect(after!.version).toBe(2);
		expect(after!.mitigations).toMatchObject([
			{ action: 'Armoured car', owner: 'Security', due_date: null, done: true }
		]);
		expect(after!.history).toHaveLength(1);
		expect(after!.history![0].content).toMatchObject({
			version: 1,
			title: 'Road ambush',
			likelihood: 2,
			impact: 3,
			mitigations: [{ action: 'Convoys', owner: 'Logistics', due_date: '2030-01-01' }]
		});
	});

	it('a stale version or a viewer is refused', async () => {
		const stale = (await edit(u.analyst, form({ title: 'x' }))) as Failure;
		expect(stale.status).toBe(409);
		await expect(edit(u.viewer, form({ version: '2', title: 'viewer' }))).rejects.toMatchObject({
			status: 403
		});
		expect((await getRisk(u.analyst, id))!.title).toBe('Road ambush, north');
	});
});
