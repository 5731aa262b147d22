/**
 * Headcounts and contingency plans (issue 11) on PGlite and PostgreSQL: who is counted, answers
 * (only one's own, replayed with an Idempotency-Key counted once), escalation of who has not
 * answered, need-to-know of the board; plans per base and kind with versions, merge semantics,
 * need-to-know (viewers nothing, field staff their bases), bad input refused with the field named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import { withRequest } from '../../src/lib/server/db/context.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';
import { baseWithFieldStaff } from './helpers/contingency.ts';
import * as hcs from '../../src/routes/api/v1/headcounts/+server.ts';
import * as hc from '../../src/routes/api/v1/headcounts/[id]/+server.ts';
import * as answer from '../../src/routes/api/v1/headcounts/[id]/answer/+server.ts';
import * as close from '../../src/routes/api/v1/headcounts/[id]/close/+server.ts';
import * as plans from '../../src/routes/api/v1/contingency/+server.ts';
import * as plan from '../../src/routes/api/v1/contingency/[id]/+server.ts';
import { sweepHeadcounts } from '../../src/lib/server/headcounts/index.ts';

describe.each(engineNames())('headcounts and contingency plans on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let inArea: CallerUser;
	let elsewhere: CallerUser;
	let base: { id: string; pcode: string };

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		setDb(e.db);
		u = await makeRoles(e.db);
		({
			base,
			inside: inArea,
			outside: elsewhere
		} = await baseWithFieldStaff(e.db, { name: 'Test base' }));
	});
	afterAll(async () => e?.close());

	const start = (as: CallerUser, body: Record<string, unknown>) =>
		callRoute(hcs.POST, as, '/api/v1/headcounts', { body });
	const say = (as: CallerUser, id: string, body: Record<string, unknown>) =>
		callRoute(answer.POST, as, '/x', { params: { id }, body });

	it('counts the people of a base, takes each one’s own answer once, escalates the silent', async () => {
		expect((await start(u.field, { scope: 'everyone' })).status).toBe(403);
		const bad = await start(u.analyst, { scope: 'base' });
		expect(bad.status).toBe(400);
		expect(bad.body.parameter ?? bad.body.message).toContain('base_site_id');
		const r = await start(u.analyst, {
			scope: 'base',
			base_site_id: base.id,
			message: 'Shelling reported near the base',
			escalate_after_minutes: 5
		});
		expect(r.status, r.text).toBe(201);
		const h = r.body;
		// only the field user assigned to the base's district is counted
		expect(h.counts.people).toBe(1);
		expect(h.people.map((p: { user_id: string }) => p.user_id)).toEqual([inArea.id]);
		// someone not counted cannot answer, nor read it
		expect((await say(elsewhere, h.id, { answer: 'safe' })).status).toBe(404);
		expect((await callRoute(hc.GET, elsewhere, '/x', { params: { id: h.id } })).status).toBe(404);
		// an answer replayed with its key counts once; the latest answer wins
		const send = () =>
			withRequest({ idempotencyKey: `hc-${h.id}` }, () =>
				say(inArea, h.id, { answer: 'need_help', lon: 43.0, lat: 36.86, note: 'car broke down' })
			);
		expect((await send()).status).toBe(200);
		expect((await send()).status).toBe(200);
		// (the replay ran nothing: one "need help" alert below, not two)
		// the person sees their own answer only; the analyst sees the board with the position
		const mine = (await callRoute(hc.GET, inArea, '/x', { params: { id: h.id } })).body;
		expect(mine.mine.answer).toBe('need_help');
		// only their own row: RLS hides everyone else's answer
		expect(mine.people.map((x: { user_id: string }) => x.user_id)).toEqual([inArea.id]);
		const board = (await callRoute(hc.GET, u.analyst, '/x', { params: { id: h.id } })).body;
		expect(board.counts).toMatchObject({ people: 1, need_help: 1, no_answer: 0 });
		expect(board.people[0]).toMatchObject({
			answer: 'need_help',
			lon: 43,
			lat: 36.86,
			note: 'car broke down'
		});
		// a viewer cannot start one, and reads no answer table directly
		expect(await sqlAs(e.db, u.viewer, 'select * from sensitive.headcount_people')).toEqual([]);
		// "need help" alerted the starter at once
		const [{ n: helpAlerts }] = await e.db.queryOwner<{ n: number }>(
			`select count(*)::int as n from public.alerts where kind = 'headcount' and body ->> 'headcount_id' = $1 and body ? 'need_help'`,
			[h.id]
		);
		expect(helpAlerts).toBe(1);
		expect((await say(inArea, h.id, { answer: 'maybe' })).status).toBe(400);
		expect((await say(inArea, h.id, { answer: 'safe', lon: 43 })).status).toBe(400);
	});

	it('escalates who has not answered after the set time, once', async () => {
		const h = (await start(u.admin, { scope: 'everyone', escalate_after_minutes: 1 })).body;
		expect(h.counts.people).toBeGreaterThan(3);
		await say(u.field, h.id, { answer: 'safe' });
		expect(await sweepHeadcounts()).toBe(0);
		await e.db.execOwner(
			`update sensitive.headcounts set started_at = now() - interval '2 minutes' where id = '${h.id}'`
		);
		const n = await sweepHeadcounts();
		expect(n).toBe(h.counts.people - 1);
		expect(await sweepHeadcounts()).toBe(0);
		const board = (await callRoute(hc.GET, u.admin, '/x', { params: { id: h.id } })).body;
		expect(board.counts.escalated).toBe(h.counts.people - 1);
		const [{ not_answered }] = await e.db.queryOwner<{ not_answered: number }>(
			`select (body ->> 'not_answered')::int as not_answered from public.alerts
			 where kind = 'headcount' and body ->> 'headcount_id' = $1 and body ? 'not_answered'`,
			[h.id]
		);
		expect(not_answered).toBe(h.counts.people - 1);
		expect((await callRoute(close.POST, u.admin, '/x', { params: { id: h.id } })).status).toBe(200);
		expect((await say(u.analyst, h.id, { answer: 'safe' })).status).toBe(400);
	});

	it('keeps each base’s plans with their versions, need-to-know', async () => {
		const first = await callRoute(plans.POST, u.analyst, '/api/v1/contingency', {
			body: {
				base_site_id: base.id,
				kind: 'hibernation',
				summary: '## Hibernate\nStay in the basement.',
				sites: [
					{
						name: 'Basement',
						role: 'hibernation_site',
						capacity: 12,
						stocks: 'water 5 days',
						comms: 'HF radio'
					}
				],
				responsible: 'Head of base',
				note: 'first version'
			}
		});
		expect(first.status, first.text).toBe(201);
		const id = first.body.id;
		const ch = await callRoute(plan.PATCH, u.admin, '/x', {
			method: 'PATCH',
			params: { id },
			body: { routes: 'Route A via the ring road', note: 'added the route' }
		});
		expect(ch.status, ch.text).toBe(200);
		expect(ch.body.version).toBe(2);
		expect(ch.body.summary).toBe('## Hibernate\nStay in the basement.');
		expect(ch.body.sites).toEqual([
			{
				name: 'Basement',
				role: 'hibernation_site',
				capacity: 12,
				stocks: 'water 5 days',
				comms: 'HF radio',
				lon: null,
				lat: null
			}
		]);
		expect(
			ch.body.versions.map((v: { version: number; note: string }) => [v.version, v.note])
		).toEqual([
			[2, 'added the route'],
			[1, 'first version']
		]);
		expect(ch.body.versions[1].snapshot.routes).toBe('');
		// need-to-know: field staff of the base's district read it; others and viewers do not
		expect((await callRoute(plan.GET, inArea, '/x', { params: { id } })).status).toBe(200);
		expect((await callRoute(plan.GET, elsewhere, '/x', { params: { id } })).status).toBe(404);
		expect((await callRoute(plan.GET, u.viewer, '/x', { params: { id } })).status).toBe(403);
		expect(await sqlAs(e.db, u.viewer, 'select * from sensitive.contingency_plans')).toEqual([]);
		const ov = (await callRoute(plans.GET, elsewhere, '/x')).body;
		expect(ov.find((b: { base_site_id: string }) => b.base_site_id === base.id)).toBeUndefined();
		const mine = (await callRoute(plans.GET, inArea, '/x')).body;
		expect(
			mine.find((b: { base_site_id: string }) => b.base_site_id === base.id).plans.hibernation
				.version
		).toBe(2);
		// field staff cannot write; bad input names the field and writes nothing
		expect(
			(
				await callRoute(plan.PATCH, inArea, '/x', {
					method: 'PATCH',
					params: { id },
					body: { routes: 'x' }
				})
			).status
		).toBe(403);
		for (const [body, field] of [
			[{ sites: [{ name: '', role: 'safe_haven' }] }, 'sites.0.name'],
			[{ sites: [{ name: 'Hotel', role: 'castle' }] }, 'sites.0.role'],
			[{ sites: [{ name: 'Hotel', role: 'safe_haven', capacity: -1 }] }, 'sites.0.capacity'],
			[{ colour: 'red' }, 'colour']
		] as const) {
			const r = await callRoute(plan.PATCH, u.analyst, '/x', {
				method: 'PATCH',
				params: { id },
				body
			});
			expect(r.status, field).toBe(400);
			expect(JSON.stringify(r.body)).toContain(field);
		}
		expect((await callRoute(plan.GET, u.analyst, '/x', { params: { id } })).body.version).toBe(2);
		// every read is audited
		const [{ n }] = await e.db.queryOwner<{ n: number }>(
			`select count(*)::int as n from public.audit_log where table_name = 'contingency_plans' and action = 'read'`
		);
		expect(n).toBeGreaterThan(0);
	});
});
