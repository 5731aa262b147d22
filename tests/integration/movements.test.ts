/**
 * Movement plans on every engine: the workflow (draft → submitted → approved → under way →
 * completed / overdue → closed), four eyes, the safe-access calls approval needs, need-to-know
 * (viewers see nothing, field staff their own and their areas'), and bad input refused with the
 * field named and nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, makeUser, openEngine, sqlAs, type Engine } from './helpers/db.ts';
import { callRoute } from './helpers/route.ts';
import * as list from '../../src/routes/api/v1/movements/+server.ts';
import * as one from '../../src/routes/api/v1/movements/[id]/+server.ts';
import * as step from '../../src/routes/api/v1/movements/[id]/transition/+server.ts';
import * as calls from '../../src/routes/api/v1/movements/[id]/calls/+server.ts';
import * as position from '../../src/routes/api/v1/movements/[id]/position/+server.ts';
import { sweepOverdue } from '../../src/lib/server/movements/index.ts';

const ROUTE = {
	type: 'LineString',
	coordinates: [
		[43.0, 36.867],
		[42.45, 36.63],
		[41.87, 36.32]
	]
};
const plan = (over: Record<string, unknown> = {}) => ({
	purpose: 'Health assessment in Sinjar',
	departure_at: '2030-05-01T06:00:00Z',
	return_at: '2030-05-01T16:00:00Z',
	route: ROUTE,
	team: [{ name: 'Driver Hassan', role: 'driver', phone: '+9647501234567' }],
	vehicles: [{ plate: 'DHK 12345', vehicle_type: 'Land Cruiser', call_sign: 'Alpha 1' }],
	stops: [{ lon: 41.87, lat: 36.32, name: 'Sinjar PHCC' }],
	...over
});

describe.each(engineNames())('movements on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let otherField: CallerUser;

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		setDb(e.db);
		u = await makeRoles(e.db);
		otherField = await makeUser(e.db, 'field');
	});
	afterAll(async () => e?.close());

	const create = (as: CallerUser, body: unknown) =>
		callRoute(list.POST, as, '/api/v1/movements', { body });
	const go = (as: CallerUser, id: string, body: Record<string, unknown>) =>
		callRoute(step.POST, as, `/x`, { params: { id }, body });
	const count = async () =>
		(await e.db.queryOwner<{ n: number }>('select count(*)::int as n from sensitive.movements'))[0]
			.n;

	it('saves a plan field by field and reads it back; an empty PATCH changes nothing', async () => {
		const r = await create(u.field, plan());
		expect(r.status, r.text).toBe(201);
		const got = (await callRoute(one.GET, u.field, '/x', { params: { id: r.body.id } })).body;
		expect(got.purpose).toBe('Health assessment in Sinjar');
		expect(got.status).toBe('draft');
		expect(new Date(got.departure_at).toISOString()).toBe('2030-05-01T06:00:00.000Z');
		expect(got.team).toEqual([
			{ user_id: null, name: 'Driver Hassan', role: 'driver', phone: '+9647501234567' }
		]);
		expect(got.vehicles).toEqual([
			{ plate: 'DHK 12345', vehicle_type: 'Land Cruiser', call_sign: 'Alpha 1' }
		]);
		expect(got.stops[0].name).toBe('Sinjar PHCC');
		expect(got.route.type).toBe('MultiLineString');
		expect(got.areas.length).toBeGreaterThan(2);
		const same = await callRoute(one.PATCH, u.field, '/x', {
			method: 'PATCH',
			params: { id: r.body.id },
			body: { notes: '' }
		});
		expect(same.status, same.text).toBe(200);
		expect(same.body.team).toEqual(got.team);
		expect(same.body.route).toEqual(got.route);
	});

	it('refuses bad plans with the field named, writing nothing', async () => {
		const before = await count();
		for (const [body, field] of [
			[plan({ return_at: '2030-05-01T05:00:00Z' }), 'return_at'],
			[
				plan({
					route: {
						type: 'Polygon',
						coordinates: [
							[
								[43, 36],
								[43.1, 36],
								[43, 36.1],
								[43, 36]
							]
						]
					}
				}),
				'route'
			],
			[plan({ purpose: '' }), 'purpose'],
			[plan({ vehicles: [{ plate: '' }] }), 'vehicles.0.plate'],
			[plan({ team: [{ role: 'driver' }] }), 'team.0.name']
		] as const) {
			const r = await create(u.field, body);
			expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(400);
			expect(r.body.parameter ?? r.body.message).toContain(field.split('.')[0]);
		}
		const disabled = await makeUser(e.db, 'field');
		await e.db.execOwner(`update public.app_users set disabled = true where id = '${disabled.id}'`);
		const r = await create(u.field, plan({ team: [{ user_id: disabled.id }] }));
		expect(r.status).toBe(400);
		expect(r.text).toContain('disabled');
		expect(await count()).toBe(before);
	});

	it('needs four eyes and a recent safe-access call for each area at level 3 or more', async () => {
		const m = (await create(u.analyst, plan())).body;
		const district = (
			await e.db.queryOwner<{ pcode: string }>(
				`select pcode from public.areas where level = 2 and pcode = any ($1::text[]) order by pcode limit 1`,
				[m.areas]
			)
		)[0].pcode;
		await e.db.execOwner(
			`insert into public.area_security_levels (pcode, level, note, effective_date, recorded_by)
			 values ('${district}', 3, 'tense', current_date - 1, '${u.analyst.id}')`
		);
		expect((await go(u.analyst, m.id, { to: 'submitted' })).status).toBe(200);
		const own = await go(u.analyst, m.id, { to: 'approved' });
		expect(own.status).toBe(403);
		expect(own.text).toContain('four eyes');
		const noCall = await go(u.admin, m.id, { to: 'approved' });
		expect(noCall.status).toBe(400);
		expect(noCall.text).toContain(district);
		const call = await callRoute(calls.POST, u.analyst, '/x', {
			params: { id: m.id },
			body: {
				outcome: 'confirmed',
				contact_name: 'Mukhtar of Sinjar',
				pcode: district,
				said: 'Road open'
			}
		});
		expect(call.status, call.text).toBe(201);
		const ok = await go(u.admin, m.id, { to: 'approved', reason: 'calls made' });
		expect(ok.status, ok.text).toBe(200);
		expect(ok.body.status).toBe('approved');
		expect(ok.body.decided_by).toBe(u.admin.id);
		expect(ok.body.events.map((x: { to: string }) => x.to)).toEqual([
			'draft',
			'submitted',
			'approved'
		]);
	});

	it('checks out, sends positions, goes overdue past return + grace, and checks in', async () => {
		const m = (
			await create(
				u.field,
				plan({ departure_at: '2020-01-01T06:00:00Z', return_at: '2020-01-01T08:00:00Z' })
			)
		).body;
		const notYet = await go(u.field, m.id, { to: 'completed' });
		expect(notYet.status).toBe(400);
		expect((await go(u.field, m.id, { to: 'submitted' })).status).toBe(200);
		expect((await go(u.analyst, m.id, { to: 'approved' })).status).toBe(200);
		expect((await go(u.field, m.id, { to: 'under_way', lon: 43, lat: 36.86 })).body.status).toBe(
			'under_way'
		);
		const pos = await callRoute(position.POST, u.field, '/x', {
			params: { id: m.id },
			body: { lon: 42.5, lat: 36.6 }
		});
		expect(pos.status, pos.text).toBe(200);
		const late = await sweepOverdue();
		expect(late.map((x) => x.id)).toContain(m.id);
		expect((await sweepOverdue()).map((x) => x.id)).not.toContain(m.id);
		const back = await go(u.field, m.id, { to: 'completed' });
		expect(back.body.status).toBe('completed');
		expect(back.body.events.map((x: { to: string }) => x.to)).toEqual([
			'draft',
			'submitted',
			'approved',
			'under_way',
			'overdue',
			'completed'
		]);
		const again = await go(u.field, m.id, { to: 'completed' });
		expect(again.status).toBe(400);
	});

	it('keeps plans need-to-know: viewers nothing, field staff their own and their areas', async () => {
		const m = (await create(u.field, plan())).body;
		expect((await callRoute(list.GET, u.viewer, '/api/v1/movements')).status).toBe(403);
		expect((await callRoute(one.GET, u.viewer, '/x', { params: { id: m.id } })).status).toBe(403);
		// direct table reads under RLS: nothing for a viewer or another field user with no areas
		for (const who of [u.viewer, otherField]) {
			for (const t of [
				'movements',
				'movement_team',
				'movement_vehicles',
				'movement_stops',
				'safe_access_calls'
			]) {
				const rows = await sqlAs(e.db, who, `select * from sensitive.${t}`);
				expect(rows, `${who.role} ${t}`).toEqual([]);
			}
		}
		expect((await callRoute(one.GET, otherField, '/x', { params: { id: m.id } })).status).toBe(404);
		// a field user assigned to an area the route crosses sees it
		const [{ pcode: district }] = await e.db.queryOwner<{ pcode: string }>(
			`select pcode from public.areas where level = 2 and pcode = any ($1::text[]) order by pcode limit 1`,
			[m.areas]
		);
		await e.db.execOwner(
			`update public.app_users set assigned_areas = '{${district}}' where id = '${otherField.id}'`
		);
		expect((await callRoute(one.GET, otherField, '/x', { params: { id: m.id } })).status).toBe(200);
		// but cannot change someone else's plan, nor approve anything
		const edit = await callRoute(one.PATCH, otherField, '/x', {
			method: 'PATCH',
			params: { id: m.id },
			body: { notes: 'x' }
		});
		expect(edit.status).toBe(404);
		// every read is audited
		const reads = await e.db.queryOwner<{ n: number }>(
			`select count(*)::int as n from public.audit_log where action = 'read' and table_name = 'movements'`
		);
		expect(reads[0].n).toBeGreaterThan(0);
		// no direct writes: the functions are the only way in
		await expect(
			sqlAs(e.db, u.analyst, `update sensitive.movements set status = 'approved'`)
		).rejects.toThrow();
	});
});
