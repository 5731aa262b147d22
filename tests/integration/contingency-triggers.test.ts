/**
 * Contingency-plan triggers (issue 11, point 8) on PGlite and PostgreSQL: each kind — an area's
 * level reaching N, K serious incidents within R km in D days, a checkpoint closing — raises one
 * alert when the live data makes it met (not before, not twice while it stays met, again after it
 * was not met for a while); the plan shows met / since when; bad input names the field and writes
 * nothing; viewers and field staff outside the base neither read nor add.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';
import { addPlan, baseWithFieldStaff } from './helpers/contingency.ts';
import * as triggers from '../../src/routes/api/v1/contingency/[id]/triggers/+server.ts';
import * as one from '../../src/routes/api/v1/contingency/[id]/triggers/[trigger]/+server.ts';
import { sweepTriggers } from '../../src/lib/server/contingency/triggers.ts';

// A spot far from the demo data, so that only this file's incidents count there.
const SPOT = { lon: 39.2, lat: 32.1 };

describe.each(engineNames())('contingency triggers on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let inArea: CallerUser;
	let elsewhere: CallerUser;
	let base: { id: string; pcode: string };
	let planId: string;

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		setDb(e.db);
		u = await makeRoles(e.db);
		({
			base,
			inside: inArea,
			outside: elsewhere
		} = await baseWithFieldStaff(e.db, { name: 'Trigger base', lastArea: true }));
		planId = await addPlan(u.analyst, base.id, { kind: 'evacuation', summary: 'Leave by road' });
	});
	afterAll(async () => e?.close());

	const add = (as: CallerUser, body: Record<string, unknown>) =>
		callRoute(triggers.POST, as, '/x', { params: { id: planId }, body });
	const list = async () =>
		(await callRoute(triggers.GET, u.analyst, '/x', { params: { id: planId } })).body as {
			id: string;
			met: boolean;
			met_since: string | null;
		}[];
	const state = async (id: string) => (await list()).find((t) => t.id === id)!;
	const alerts = async (id: string) =>
		(
			await e.db.queryOwner<{ n: number }>(
				`select count(*)::int as n from public.alerts
				 where kind = 'contingency_trigger' and body ->> 'trigger_id' = $1`,
				[id]
			)
		)[0].n;
	const level = (n: number) =>
		e.db.rpc(
			'area_level_record',
			{ p_pcode: base.pcode, p_level: n, p_note: `level ${n}` },
			u.analyst
		);

	it('fires on an area level reaching N, once while met, again after it was not', async () => {
		await level(2);
		const r = await add(u.analyst, { kind: 'area_level', pcode: base.pcode, level: 4 });
		expect(r.status, r.text).toBe(201);
		const id = r.body.id;
		expect(r.body).toMatchObject({ met: false, met_since: null, level: 4, pcode: base.pcode });
		await level(3);
		expect(await alerts(id)).toBe(0);
		await level(4);
		expect(await alerts(id)).toBe(1);
		const met = await state(id);
		expect(met.met).toBe(true);
		expect(met.met_since).not.toBeNull();
		await level(5);
		expect(await alerts(id)).toBe(1);
		expect((await state(id)).met_since).toBe(met.met_since);
		await level(2);
		expect(await state(id)).toMatchObject({ met: false, met_since: null });
		expect(await alerts(id)).toBe(1);
		await level(4);
		expect(await alerts(id)).toBe(2);
		// the alert reaches analysts through the alert feed; a viewer's feed holds nothing of it
		const feed = await e.db.rpc<{ kind: string; body: { trigger_id: string } }[]>(
			'alerts_list',
			{},
			u.analyst
		);
		expect(feed.filter((a) => a.body.trigger_id === id)).toHaveLength(2);
		const vfeed = await e.db.rpc<{ kind: string }[]>('alerts_list', {}, u.viewer);
		expect(vfeed.some((a) => a.kind === 'contingency_trigger')).toBe(false);
		// the base's field staff (who may read its plans) are told too; field staff elsewhere are not
		const mine = await e.db.rpc<{ body: Record<string, unknown> }[]>('alerts_list', {}, inArea);
		const theirs = mine.filter((a) => a.body.trigger_id === id);
		expect(theirs).toHaveLength(2);
		const other = await e.db.rpc<{ kind: string }[]>('alerts_list', {}, elsewhere);
		expect(other.some((a) => a.kind === 'contingency_trigger')).toBe(false);
		// the facts each page words in the reader's language, not only the English title
		expect(theirs[0].body).toMatchObject({
			base_name: 'Trigger base',
			plan_kind: 'evacuation',
			trigger: { kind: 'area_level', pcode: base.pcode, level: 4, area_name: expect.any(String) }
		});
		expect((theirs[0].body.trigger as Record<string, unknown>).area_name_ar).toBeDefined();
	});

	it('fires on K serious incidents within R km in D days', async () => {
		const r = await add(u.admin, {
			kind: 'incidents_near',
			min_incidents: 2,
			radius_km: 5,
			days: 7,
			...SPOT
		});
		expect(r.status, r.text).toBe(201);
		const id = r.body.id;
		const incident = async (km: number, serious: boolean, daysAgo = 0) =>
			(
				await e.db.queryOwner<{ id: string }>(
					`insert into public.incidents (event_date, event_type, geom, serious, status)
					 values (current_date - $4::int, 'battles',
					         st_project(st_setsrid(st_point($1, $2), 4326)::geography, $3::float8 * 1000, 0)::geometry,
					         $5, 'reported')
					 returning id`,
					[SPOT.lon, SPOT.lat, km, daysAgo, serious]
				)
			)[0].id;
		const a = await incident(2, true);
		await incident(3, false); // not serious
		await incident(8, true); // outside R
		await incident(1, true, 30); // older than D days
		expect(await alerts(id)).toBe(0);
		expect((await state(id)).met).toBe(false);
		const b = await incident(4, true);
		expect(await alerts(id)).toBe(1);
		expect((await state(id)).met).toBe(true);
		await incident(1, true);
		expect(await alerts(id)).toBe(1);
		// two rejected: one left, no longer met; then one more reported: met again, a second alert
		await e.db.execOwner(
			`update public.incidents set status = 'rejected', status_reason = 'false report'
			 where id in ('${a}', '${b}')`
		);
		expect(await state(id)).toMatchObject({ met: false, met_since: null });
		await incident(0.5, true);
		expect(await alerts(id)).toBe(2);
		expect(await sweepTriggers()).toBe(0);
	});

	it('fires on a checkpoint closing', async () => {
		const [cp] = await e.db.queryOwner<{ id: string }>(
			`insert into public.checkpoints (name, status, geom)
			 values ('Trigger CP', 'open', st_setsrid(st_point(43.1, 36.9), 4326)) returning id`
		);
		const r = await add(u.analyst, { kind: 'checkpoint_closed', checkpoint_id: cp.id });
		expect(r.status, r.text).toBe(201);
		const id = r.body.id;
		expect(r.body.checkpoint_name).toBe('Trigger CP');
		const status = (s: string) =>
			e.db.execOwner(`update public.checkpoints set status = '${s}' where id = '${cp.id}'`);
		await status('restricted');
		expect(await alerts(id)).toBe(0);
		await status('closed');
		expect(await alerts(id)).toBe(1);
		await e.db.execOwner(
			`update public.checkpoints set notes = 'still closed' where id = '${cp.id}'`
		);
		expect(await alerts(id)).toBe(1);
		await status('open');
		expect((await state(id)).met).toBe(false);
		await status('closed');
		expect(await alerts(id)).toBe(2);
		// the same trigger twice on a plan is refused, the field named
		const twice = await add(u.analyst, { kind: 'checkpoint_closed', checkpoint_id: cp.id });
		expect(twice.status, twice.text).toBe(409);
		expect(twice.body.message).toMatch(/^checkpoint_id: /);
		const gone = await callRoute(one.DELETE, u.analyst, '/x', {
			method: 'DELETE',
			params: { id: planId, trigger: id }
		});
		expect(gone.status, gone.text).toBe(200);
		// a trigger added while its condition holds is met from the start, and says so once
		const again = await add(u.analyst, { kind: 'checkpoint_closed', checkpoint_id: cp.id });
		expect(again.status, again.text).toBe(201);
		expect(again.body.met).toBe(true);
		expect(await alerts(again.body.id)).toBe(1);
		// removed: gone from the plan, its alerts stay
		const del = await callRoute(one.DELETE, u.analyst, '/x', {
			method: 'DELETE',
			params: { id: planId, trigger: again.body.id }
		});
		expect(del.status, del.text).toBe(200);
		expect((await list()).some((t) => t.id === again.body.id)).toBe(false);
		expect(await alerts(again.body.id)).toBe(1);
	});

	it('refuses bad input with the field named, writing nothing', async () => {
		const before = (await list()).length;
		const cases: [Record<string, unknown>, string][] = [
			[{ kind: 'area_level', pcode: base.pcode, level: 6 }, 'level'],
			[{ kind: 'area_level', pcode: base.pcode, level: 0 }, 'level'],
			[{ kind: 'area_level', pcode: 'NOPE42', level: 3 }, 'pcode'],
			[{ kind: 'incidents_near', min_incidents: 0, radius_km: 5, days: 7 }, 'min_incidents'],
			[{ kind: 'incidents_near', min_incidents: 2, radius_km: 0, days: 7 }, 'radius_km'],
			[{ kind: 'incidents_near', min_incidents: 2, radius_km: -3, days: 7 }, 'radius_km'],
			[{ kind: 'incidents_near', min_incidents: 2, radius_km: 5, days: 0 }, 'days'],
			[{ kind: 'incidents_near', min_incidents: 2, radius_km: 5, days: 7, lon: 43 }, 'lon'],
			[
				{ kind: 'checkpoint_closed', checkpoint_id: '00000000-0000-4000-8000-000000000000' },
				'checkpoint_id'
			],
			[{ kind: 'checkpoint_closed', checkpoint_id: 'x' }, 'checkpoint_id'],
			[{ kind: 'volcano' }, 'kind'],
			[{ kind: 'area_level', pcode: base.pcode, level: 3, radius_km: 5 }, 'radius_km']
		];
		for (const [body, field] of cases) {
			const r = await add(u.analyst, body);
			expect(r.status, JSON.stringify(body)).toBe(400);
			expect(r.body.parameter, JSON.stringify(body)).toBe(field);
		}
		expect((await list()).length).toBe(before);
	});

	it('refuses the same trigger twice on a plan (409, the field named), in the function and the table', async () => {
		const before = (await list()).length;
		const cases: [Record<string, unknown>, string][] = [
			[{ kind: 'area_level', pcode: base.pcode, level: 2 }, 'pcode'],
			[{ kind: 'incidents_near', min_incidents: 4, radius_km: 12, days: 9 }, 'radius_km'],
			[
				{ kind: 'incidents_near', min_incidents: 4, radius_km: 12, days: 9, lon: 44, lat: 33 },
				'radius_km'
			]
		];
		for (const [body, field] of cases) {
			const first = await add(u.analyst, body);
			expect(first.status, first.text).toBe(201);
			const second = await add(u.admin, body);
			expect(second.status, JSON.stringify(body)).toBe(409);
			expect(second.body.message).toMatch(new RegExp(`^${field}: `));
		}
		expect((await list()).length).toBe(before + cases.length);
		// other parameters, another point: another trigger
		for (const body of [
			{ kind: 'area_level', pcode: base.pcode, level: 3 },
			{ kind: 'incidents_near', min_incidents: 4, radius_km: 12, days: 9, lon: 44.5, lat: 33 }
		])
			expect((await add(u.analyst, body)).status).toBe(201);
		// the table holds it too, whatever writes to it
		await expect(
			e.db.execOwner(
				`insert into sensitive.contingency_triggers (plan_id, kind, min_incidents, radius_km, days, centre)
				 select plan_id, kind, min_incidents, radius_km, days, centre from sensitive.contingency_triggers
				 where plan_id = '${planId}' and kind = 'incidents_near' and radius_km = 12 limit 1`
			)
		).rejects.toThrow(/contingency_triggers_same_idx|duplicate key/);
	});

	it('keeps triggers from viewers and field staff outside the base; only analysts and admins add', async () => {
		const get = (as: CallerUser) => callRoute(triggers.GET, as, '/x', { params: { id: planId } });
		expect((await get(u.viewer)).status).toBe(403);
		expect((await get(elsewhere)).status).toBe(404);
		expect((await get(inArea)).status).toBe(200);
		expect((await get(inArea)).body.length).toBeGreaterThan(0);
		for (const as of [u.viewer, elsewhere, inArea])
			expect((await add(as, { kind: 'area_level', pcode: base.pcode, level: 3 })).status).toBe(403);
		expect(await sqlAs(e.db, u.viewer, 'select * from sensitive.contingency_triggers')).toEqual([]);
		expect(await sqlAs(e.db, elsewhere, 'select * from sensitive.contingency_triggers')).toEqual(
			[]
		);
		// no direct write for anyone: only the checked functions write
		await expect(
			sqlAs(e.db, u.analyst, `delete from sensitive.contingency_triggers returning id`)
		).rejects.toThrow(/permission denied/);
		// every change is audited
		const [{ n }] = await e.db.queryOwner<{ n: number }>(
			`select count(*)::int as n from public.audit_log where table_name = 'contingency_triggers'`
		);
		expect(n).toBeGreaterThan(0);
	});
});
