/**
 * Alerts on every engine: an overdue movement raises one alert to its author, its approver and
 * the analysts/admins; a viewer (and a field user who cannot read the movement) sees none; an
 * acknowledgement is taken once; and the live feed (LISTEN terrain_live) reaches two listeners on
 * one database — as two app processes would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, makeUser, openEngine, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';
import * as list from '../../src/routes/api/v1/movements/+server.ts';
import * as step from '../../src/routes/api/v1/movements/[id]/transition/+server.ts';
import * as alerts from '../../src/routes/api/v1/alerts/+server.ts';
import * as ack from '../../src/routes/api/v1/alerts/[id]/ack/+server.ts';
import { sweepOverdue } from '../../src/lib/server/movements/index.ts';
import { listenLive, type LiveMessage } from '../../src/lib/server/live/index.ts';

const plan = {
	purpose: 'Overdue test visit',
	departure_at: '2020-01-01T06:00:00Z',
	return_at: '2020-01-01T08:00:00Z',
	// a line far from every seeded area, so no safe-access call is needed
	route: {
		type: 'LineString',
		coordinates: [
			[10, 10],
			[10.1, 10.1]
		]
	}
};

const waitFor = async (cond: () => boolean, ms = 5000) => {
	const t0 = Date.now();
	while (!cond() && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 20));
	return cond();
};

describe.each(engineNames())('alerts on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let stranger: CallerUser;
	let alertId: string;
	const heardA: LiveMessage[] = [];
	const heardB: LiveMessage[] = [];
	const stops: (() => Promise<void>)[] = [];

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		setDb(e.db);
		u = await makeRoles(e.db);
		stranger = await makeUser(e.db, 'field');
		// two listeners on one database, as two app processes each have
		stops.push(await listenLive(e.db, (m) => heardA.push(m)));
		stops.push(await listenLive(e.db, (m) => heardB.push(m)));
	});
	afterAll(async () => {
		for (const s of stops) await s();
		await e?.close();
	});

	const go = (as: CallerUser, id: string, body: Record<string, unknown>) =>
		callRoute(step.POST, as, `/x`, { params: { id }, body });
	const mine = async (as: CallerUser) =>
		((await callRoute(alerts.GET, as, '/api/v1/alerts')).body as { id: string }[]).map((a) => a.id);

	it('raises one alert when a movement goes overdue, delivered live to both listeners', async () => {
		const m = (await callRoute(list.POST, u.field, '/api/v1/movements', { body: plan })).body;
		expect((await go(u.field, m.id, { to: 'submitted' })).status).toBe(200);
		expect((await go(u.analyst, m.id, { to: 'approved' })).status).toBe(200);
		expect((await go(u.field, m.id, { to: 'under_way' })).status).toBe(200);
		await sweepOverdue();
		const rows = await e.db.queryOwner<{ id: string; target_users: string[] }>(
			`select id, target_users from public.alerts where movement_id = $1`,
			[m.id]
		);
		expect(rows).toHaveLength(1);
		alertId = rows[0].id;
		expect([...rows[0].target_users].sort()).toEqual([u.field.id, u.analyst.id].sort());
		const got = (m: LiveMessage) => m.kind === 'alert' && m.id === alertId;
		expect(await waitFor(() => heardA.some(got) && heardB.some(got))).toBe(true);
		await sweepOverdue();
		expect(
			(await e.db.queryOwner(`select 1 from public.alerts where movement_id = $1`, [m.id])).length
		).toBe(1);
	});

	it('shows a movement alert only to those who may read the movement', async () => {
		expect(await mine(u.field)).toContain(alertId);
		expect(await mine(u.analyst)).toContain(alertId);
		expect(await mine(u.admin)).toContain(alertId);
		expect(await mine(u.viewer)).not.toContain(alertId);
		expect(await mine(stranger)).not.toContain(alertId);
		const peek = await callRoute(ack.POST, u.viewer, '/x', {
			params: { id: alertId },
			body: { disposition: 'not_relevant' }
		});
		expect(peek.status).toBe(404);
	});

	it('takes an acknowledgement once, and refuses the second with a clear message', async () => {
		const bad = await callRoute(ack.POST, u.admin, '/x', {
			params: { id: alertId },
			body: { disposition: 'maybe' }
		});
		expect(bad.status).toBe(400);
		expect(bad.text).toContain('disposition');
		const first = await callRoute(ack.POST, u.admin, '/x', {
			params: { id: alertId },
			body: { disposition: 'significant_impact', note: 'calling the team' }
		});
		expect(first.status, first.text).toBe(200);
		expect(first.body.ack.disposition).toBe('significant_impact');
		const twice = await callRoute(ack.POST, u.admin, '/x', {
			params: { id: alertId },
			body: { disposition: 'duplicate' }
		});
		expect(twice.status).toBe(409);
		expect(twice.text).toContain('already acknowledged');
		const unread = (await callRoute(alerts.GET, u.admin, '/api/v1/alerts?unread=1')).body as {
			id: string;
		}[];
		expect(unread.map((a) => a.id)).not.toContain(alertId);
	});
});
