/**
 * PATCH /api/v1/contacts/{id} (issue 9: every resource that can be updated has PATCH with merge
 * semantics): only the fields sent change; a PATCH, or a form save, that changes nothing writes
 * nothing (no audit row); need-to-know holds (a field user changes the normal contacts of their
 * areas, not their areas, checkpoints or sensitivity; a contact they may not see is a 404). On
 * PGlite and, with TEST_DATABASE_URL, on PostgreSQL+PostGIS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';
import { callRoute as call } from './helpers/route.ts';

import * as one from '../../src/routes/api/v1/contacts/[id]/+server.ts';

const ACTOR = '00000000-0000-0000-00a0-000000000001';
const CP = '00000000-0000-0000-00c0-000000000001';
const C = {
	west: '00000000-0000-0000-0000-0000000000d1',
	east: '00000000-0000-0000-0000-0000000000d2',
	restricted: '00000000-0000-0000-0000-0000000000f1'
};
const FIXTURE = `
insert into public.areas (pcode, level, name_en, parent_pcode, geom) values
  ('IQG91', 1, 'Northland', null, st_multi(st_makeenvelope(43, 36, 44, 37, 4326))),
  ('IQD911', 2, 'West District', 'IQG91', st_multi(st_makeenvelope(43, 36, 43.5, 37, 4326))),
  ('IQD912', 2, 'East District', 'IQG91', st_multi(st_makeenvelope(43.5, 36, 44, 37, 4326)));
insert into public.actors (id, name, actor_type) values ('${ACTOR}', 'District Council', 'authority');
insert into public.checkpoints (id, name, status, geom, admin1_pcode, admin2_pcode) values
  ('${CP}', 'CP West', 'open', st_point(43.2, 36.2, 4326), 'IQG91', 'IQD911');
insert into sensitive.contacts (id, full_name, name_ar, role_title, actor_id, call_sign, messaging,
                                languages, sensitivity, emergency, notes) values
  ('${C.west}', 'Dana West', 'دانا', 'District officer', '${ACTOR}', 'WEST-1',
   '[{"service": "signal", "handle": "@dana"}]', '{en,ar}', 'normal', true, 'old notes'),
  ('${C.east}', 'Emre East', null, 'District officer', null, null, '[]', '{}', 'normal', false, ''),
  ('${C.restricted}', 'Rashid Restricted', null, 'Interlocutor', null, null, '[]', '{}', 'restricted', false, '');
insert into sensitive.contact_areas (contact_id, pcode) values
  ('${C.west}', 'IQD911'), ('${C.east}', 'IQD912'), ('${C.restricted}', 'IQD911');
insert into sensitive.contact_checkpoints (contact_id, checkpoint_id) values ('${C.west}', '${CP}');
insert into sensitive.contact_phones (contact_id, number, phone_type, label, position) values
  ('${C.west}', '+9647501111111', 'mobile', 'work', 0),
  ('${C.west}', '+881631234567', 'satellite', '', 1);
`;

describe.each(engineNames())('PATCH /contacts/{id} on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		setDb(e.db);
		await e.db.execOwner(FIXTURE);
		u = await makeRoles(e.db);
		await e.db.queryOwner(`update public.app_users set assigned_areas = $2 where id = $1`, [
			u.field.id,
			['IQD911']
		]);
	});
	afterAll(async () => e?.close());

	const patch = (as: CallerUser | null, id: string, body: unknown) =>
		call(one.PATCH, as, '/', { method: 'PATCH', params: { id }, body });
	const get = async (id: string) =>
		(await call(one.GET, u.analyst, '/', { params: { id } })).body as Record<string, unknown>;
	/** Audit rows of writes to the contact tables (reads are audited too; they are not writes). */
	const writes = async () =>
		(
			await sqlAs<{ n: number }>(
				e.db,
				u.admin,
				`select count(*)::int as n from public.audit_log
				  where table_name in ('contacts', 'contact_phones', 'contact_areas', 'contact_checkpoints')
				    and action in ('insert', 'update', 'delete')`
			)
		)[0].n;

	it('changes only the notes when only notes are sent', async () => {
		const before = await get(C.west);
		const n = await writes();
		const r = await patch(u.analyst, C.west, { notes: 'met at the district office' });
		expect(r.status, r.text).toBe(200);
		expect(r.body.changed).toEqual(['notes']);
		expect(await writes()).toBe(n + 1);
		const after = await get(C.west);
		expect(after.notes).toBe('met at the district office');
		for (const k of [
			'full_name',
			'name_ar',
			'role_title',
			'actor_id',
			'call_sign',
			'messaging',
			'languages',
			'sensitivity',
			'emergency',
			'phones',
			'areas',
			'checkpoints',
			'last_verified_at'
		])
			expect(after[k], k).toEqual(before[k]);
		expect((after.phones as { number: string }[]).map((p) => p.number)).toEqual([
			'+9647501111111',
			'+881631234567'
		]);
	});

	it('writes nothing when the PATCH changes nothing', async () => {
		const before = await get(C.west);
		const n = await writes();
		const r = await patch(u.analyst, C.west, {
			notes: 'met at the district office',
			name_ar: 'دانا',
			languages: ['en', 'ar'],
			phones: [
				{ number: '+964 750 111 1111', phone_type: 'mobile', label: 'work' },
				{ number: '+881631234567', phone_type: 'satellite' }
			],
			areas: ['IQD911'],
			checkpoint_ids: [CP]
		});
		expect(r.status, r.text).toBe(200);
		expect(r.body.changed).toEqual([]);
		expect(await writes()).toBe(n);
		expect((await get(C.west)).updated_at).toBe(before.updated_at);
	});

	it('writes nothing when the form saves a contact unchanged (the whole record, POST)', async () => {
		const c = await get(C.west);
		const n = await writes();
		const r = await call(one.POST, u.analyst, '/', {
			params: { id: C.west },
			body: {
				full_name: c.full_name,
				name_ar: c.name_ar,
				role_title: c.role_title,
				actor_id: c.actor_id,
				call_sign: c.call_sign,
				messaging: c.messaging,
				languages: c.languages,
				sensitivity: c.sensitivity,
				emergency: c.emergency,
				notes: c.notes,
				phones: (c.phones as Record<string, string>[]).map(({ number, phone_type, label }) => ({
					number,
					phone_type,
					label
				})),
				areas: ['IQD911'],
				checkpoint_ids: [CP]
			}
		});
		expect(r.status, r.text).toBe(200);
		expect(await writes()).toBe(n);
	});

	it('replaces a list that is sent, and says so', async () => {
		const r = await patch(u.analyst, C.west, {
			phones: [{ number: '0750 222 2222', phone_type: 'mobile' }],
			verified: true
		});
		expect(r.status, r.text).toBe(200);
		expect(r.body.changed).toEqual(['phones', 'verified']);
		const c = await get(C.west);
		expect((c.phones as { number: string }[]).map((p) => p.number)).toEqual(['+9647502222222']);
		expect(c.last_verified_at).toBeTruthy();
		expect(c.last_verified_by).toBe(u.analyst.id);
		expect(c.notes).toBe('met at the district office');
	});

	it('answers 400 naming the field for an unknown field or a bad value, and writes nothing', async () => {
		const n = await writes();
		const unknown = await patch(u.analyst, C.west, { favourite_colour: 'blue' });
		expect(unknown.status).toBe(400);
		expect(unknown.body.parameter).toBe('favourite_colour');
		const phone = await patch(u.analyst, C.west, { phones: [{ number: 'call me maybe' }] });
		expect(phone.status).toBe(400);
		expect(phone.body.parameter).toBe('phones[0].number');
		const name = await patch(u.analyst, C.west, { full_name: '  ' });
		expect(name.status).toBe(400);
		expect(name.body.parameter).toBe('full_name');
		const area = await patch(u.analyst, C.west, { areas: ['IQG99'] });
		expect(area.status).toBe(400);
		expect(area.body.parameter).toBe('areas');
		expect((await patch(u.analyst, C.west, ['notes'])).status).toBe(400);
		expect(await writes()).toBe(n);
	});

	it('lets field staff correct a normal contact of their area, nothing more', async () => {
		const ok = await patch(u.field, C.west, { call_sign: 'WEST-2' });
		expect(ok.status, ok.text).toBe(200);
		expect(ok.body.changed).toEqual(['call_sign']);
		// The same areas are no change; other areas, checkpoints or sensitivity are refused.
		expect((await patch(u.field, C.west, { areas: ['IQD911'] })).body.changed).toEqual([]);
		const n = await writes();
		for (const body of [
			{ areas: ['IQD911', 'IQD912'] },
			{ checkpoint_ids: [] },
			{ sensitivity: 'restricted' }
		]) {
			const r = await patch(u.field, C.west, body);
			expect(r.status, JSON.stringify(body)).toBe(403);
		}
		// Restricted contacts and contacts of other areas do not exist for them.
		expect((await patch(u.field, C.restricted, { notes: 'x' })).status).toBe(404);
		expect((await patch(u.field, C.east, { notes: 'x' })).status).toBe(404);
		expect(await writes()).toBe(n);
		expect((await get(C.restricted)).notes).toBe('');
		expect((await get(C.west)).sensitivity).toBe('normal');
	});

	it('refuses viewers (403) and anonymous callers (401); an unknown id is a 404', async () => {
		expect((await patch(u.viewer, C.west, { notes: 'x' })).status).toBe(403);
		expect((await patch(null, C.west, { notes: 'x' })).status).toBe(401);
		expect(
			(await patch(u.analyst, '00000000-0000-0000-0000-00000000ffff', { notes: 'x' })).status
		).toBe(404);
		expect((await get(C.west)).notes).toBe('met at the district office');
	});
});
