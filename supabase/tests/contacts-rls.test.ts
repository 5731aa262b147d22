/**
 * Contacts: the need-to-know matrix (each role × read/write × in/out of the assigned areas,
 * including what must be refused), the audit rows every read and export writes, and "who to call
 * here" — on PGlite and, with TEST_DATABASE_URL, on PostgreSQL+PostGIS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import {
	engineNames,
	makeRoles,
	makeUser,
	openEngine,
	sqlAs,
	type Engine
} from '../../tests/integration/helpers/db.ts';

// Two governorates. G1 (43–44°E, 36–37°N) has districts D1 (west half) and D2 (east half); D1 has
// the sub-district S1 (its south-west quarter). G2 (45–46°E, 33–34°N) has the district D3.
const FIXTURE = `
insert into public.areas (pcode, level, name_en, name_ar, parent_pcode, geom) values
  ('IQG91', 1, 'Northland', 'الشمال', null, st_multi(st_makeenvelope(43, 36, 44, 37, 4326))),
  ('IQG92', 1, 'Southland', 'الجنوب', null, st_multi(st_makeenvelope(45, 33, 46, 34, 4326))),
  ('IQD911', 2, 'West District', null, 'IQG91', st_multi(st_makeenvelope(43, 36, 43.5, 37, 4326))),
  ('IQD912', 2, 'East District', null, 'IQG91', st_multi(st_makeenvelope(43.5, 36, 44, 37, 4326))),
  ('IQD921', 2, 'South District', null, 'IQG92', st_multi(st_makeenvelope(45, 33, 46, 34, 4326))),
  ('IQ91101', 3, 'Corner', null, 'IQD911', st_multi(st_makeenvelope(43, 36, 43.25, 36.25, 4326)));
insert into public.actors (id, name, actor_type) values
  ('00000000-0000-0000-00a0-000000000001', 'District Council', 'authority');
insert into public.checkpoints (id, name, status, geom, admin1_pcode, admin2_pcode, admin3_pcode) values
  ('00000000-0000-0000-00c0-000000000001', 'CP Corner', 'open', st_point(43.2, 36.2, 4326), 'IQG91', 'IQD911', 'IQ91101'),
  ('00000000-0000-0000-00c0-000000000002', 'CP South', 'restricted', st_point(45.5, 33.5, 4326), 'IQG92', 'IQD921', null),
  ('00000000-0000-0000-00c0-000000000003', 'CP Quiet', 'open', st_point(43.3, 36.3, 4326), 'IQG91', 'IQD911', null),
  ('00000000-0000-0000-00c0-000000000004', 'CP Far', 'open', st_point(43.9, 36.9, 4326), 'IQG91', 'IQD912', null);
insert into public.org_sites (id, name, site_type, geom) values
  ('00000000-0000-0000-00b0-000000000001', 'Corner base', 'base', st_point(43.1, 36.1, 4326));
insert into sensitive.contacts (id, full_name, role_title, sensitivity, actor_id, emergency) values
  ('00000000-0000-0000-0000-0000000000d1', 'Dana West', 'District officer', 'normal', '00000000-0000-0000-00a0-000000000001', true),
  ('00000000-0000-0000-0000-0000000000d2', 'Emre East', 'District officer', 'normal', null, false),
  ('00000000-0000-0000-0000-0000000000a1', 'Sami Corner', 'Mukhtar', 'normal', null, false),
  ('00000000-0000-0000-0000-0000000000a9', 'Gül Governor', 'Governor''s office', 'normal', null, false),
  ('00000000-0000-0000-0000-0000000000f1', 'Rashid Restricted', 'Armed group interlocutor', 'restricted', null, false),
  ('00000000-0000-0000-0000-0000000000c1', 'Cem Checkpoint', 'Checkpoint commander', 'normal', null, false),
  ('00000000-0000-0000-0000-0000000000c2', 'Suha South', 'Checkpoint commander', 'normal', null, false),
  ('00000000-0000-0000-0000-0000000000e0', 'Nour Nowhere', 'Driver', 'normal', null, false);
insert into sensitive.contact_areas (contact_id, pcode) values
  ('00000000-0000-0000-0000-0000000000d1', 'IQD911'),
  ('00000000-0000-0000-0000-0000000000d2', 'IQD912'),
  ('00000000-0000-0000-0000-0000000000a1', 'IQ91101'),
  ('00000000-0000-0000-0000-0000000000a9', 'IQG91'),
  ('00000000-0000-0000-0000-0000000000f1', 'IQD911');
insert into sensitive.contact_checkpoints (contact_id, checkpoint_id) values
  ('00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-00c0-000000000001'),
  ('00000000-0000-0000-0000-0000000000c2', '00000000-0000-0000-00c0-000000000002');
insert into sensitive.contact_phones (contact_id, number, phone_type) values
  ('00000000-0000-0000-0000-0000000000d1', '+9647501111111', 'mobile'),
  ('00000000-0000-0000-0000-0000000000d2', '+9647502222222', 'mobile'),
  ('00000000-0000-0000-0000-0000000000f1', '+9647509999999', 'satellite'),
  ('00000000-0000-0000-0000-0000000000c2', '+9647503333333', 'mobile');
`;

const C = {
	d1: '00000000-0000-0000-0000-0000000000d1',
	d2: '00000000-0000-0000-0000-0000000000d2',
	s1: '00000000-0000-0000-0000-0000000000a1',
	g1: '00000000-0000-0000-0000-0000000000a9',
	restricted: '00000000-0000-0000-0000-0000000000f1',
	cp: '00000000-0000-0000-0000-0000000000c1',
	cpSouth: '00000000-0000-0000-0000-0000000000c2',
	nowhere: '00000000-0000-0000-0000-0000000000e0'
};
const ALL = Object.values(C).sort();
// A field user assigned to the West District sees the contacts of that district, of the
// sub-district inside it, of the governorate around it, and of the checkpoint located in it.
const WEST_FIELD = [C.d1, C.s1, C.g1, C.cp].sort();

interface Contact {
	id: string;
	full_name: string;
	sensitivity: string;
	phones: { number: string }[];
	distance_m?: number;
	reasons?: { via: string }[];
}
type ContactList = { total: number; contacts: Contact[] };

describe.each(engineNames())('contacts on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let southField: CallerUser;
	let unassignedField: CallerUser;

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		await e.db.execOwner(FIXTURE);
		u = await makeRoles(e.db);
		southField = await makeUser(e.db, 'field');
		unassignedField = await makeUser(e.db, 'field');
		await e.db.queryOwner(`update public.app_users set assigned_areas = $2 where id = $1`, [
			u.field.id,
			['IQD911']
		]);
		await e.db.queryOwner(`update public.app_users set assigned_areas = $2 where id = $1`, [
			southField.id,
			['IQG92']
		]);
		// A viewer with areas still sees nothing: need-to-know is by role first.
		await e.db.queryOwner(`update public.app_users set assigned_areas = $2 where id = $1`, [
			u.viewer.id,
			['IQD911']
		]);
	});
	afterAll(async () => e?.close());

	const ids = (l: ContactList) => l.contacts.map((c) => c.id).sort();
	const list = (as: CallerUser, args: Record<string, unknown> = {}) =>
		e.db.rpc<ContactList>('contacts_list', args, as);
	const lastAudit = async (action: string) =>
		(
			await e.db.queryOwner<{
				actor_id: string;
				action: string;
				table_name: string;
				detail: Record<string, unknown>;
			}>(
				`select actor_id, action, table_name, detail from public.audit_log where action = $1 order by id desc limit 1`,
				[action]
			)
		)[0];

	describe('reading', () => {
		it('shows analysts and admins every contact, restricted ones included', async () => {
			expect(ids(await list(u.admin))).toEqual(ALL);
			expect(ids(await list(u.analyst))).toEqual(ALL);
		});

		it('shows a field user only the normal contacts of their assigned areas', async () => {
			expect(ids(await list(u.field))).toEqual(WEST_FIELD);
			expect(ids(await list(southField))).toEqual([C.cpSouth]);
			expect(ids(await list(unassignedField))).toEqual([]);
		});

		it('refuses viewers and anonymous callers', async () => {
			await expect(list(u.viewer)).rejects.toMatchObject({ code: '42501' });
			await expect(e.db.rpc('contacts_list', {}, 'anon')).rejects.toThrow(/permission denied/);
			await expect(e.db.rpc('contact_get', { p_id: C.d1 }, u.viewer)).rejects.toMatchObject({
				code: '42501'
			});
			await expect(
				e.db.rpc('contacts_nearby', { p_lon: 43.1, p_lat: 36.1 }, u.viewer)
			).rejects.toMatchObject({ code: '42501' });
		});

		it('applies the same rules to the tables themselves, so no path around the functions shows more', async () => {
			const count = async (as: CallerUser | 'anon', table: string) =>
				(
					await sqlAs<{ n: number }>(e.db, as, `select count(*)::int as n from sensitive.${table}`)
				)[0].n;
			expect(await count(u.analyst, 'contacts')).toBe(8);
			expect(await count(u.field, 'contacts')).toBe(4);
			expect(await count(u.viewer, 'contacts')).toBe(0);
			expect(await count(u.analyst, 'contact_phones')).toBe(4);
			expect(await count(u.field, 'contact_phones')).toBe(1); // Dana West's only
			expect(await count(u.viewer, 'contact_phones')).toBe(0);
			expect(await count(southField, 'contact_phones')).toBe(1);
			expect(await count(u.field, 'contact_areas')).toBe(3);
			await expect(count('anon', 'contacts')).rejects.toThrow(/permission denied/);
			// The restricted interlocutor's satellite number is invisible to field staff by any route.
			const sat = `select count(*)::int as n from sensitive.contact_phones where number = '+9647509999999'`;
			expect((await sqlAs<{ n: number }>(e.db, u.field, sat))[0].n).toBe(0);
			expect((await sqlAs<{ n: number }>(e.db, u.admin, sat))[0].n).toBe(1);
		});

		it('builds contact details only for contacts the caller may see, even when asked for others', async () => {
			const details = (as: CallerUser) =>
				sqlAs<{ id: string }>(e.db, as, `select id from sensitive.contacts_details($1::uuid[])`, [
					ALL
				]).then((r) => r.map((x) => x.id).sort());
			expect(await details(u.analyst)).toEqual(ALL);
			expect(await details(u.field)).toEqual(WEST_FIELD);
			expect(await details(southField)).toEqual([C.cpSouth]);
			expect(await details(u.viewer)).toEqual([]);
		});

		it('gives a field user a contact of their area by id, and nothing for one outside or restricted', async () => {
			const got = await e.db.rpc<Contact>('contact_get', { p_id: C.d1 }, u.field);
			expect(got).toMatchObject({
				full_name: 'Dana West',
				actor_name: 'District Council',
				phones: [{ number: '+9647501111111', phone_type: 'mobile' }]
			});
			expect(await e.db.rpc('contact_get', { p_id: C.d2 }, u.field)).toBeNull();
			expect(await e.db.rpc('contact_get', { p_id: C.restricted }, u.field)).toBeNull();
			expect(await e.db.rpc('contact_get', { p_id: C.restricted }, u.analyst)).toMatchObject({
				sensitivity: 'restricted'
			});
		});

		it('filters the directory by area (at any level), actor, checkpoint and search', async () => {
			expect(ids(await list(u.analyst, { p_area: 'IQ91101' }))).toEqual(
				[C.d1, C.s1, C.g1, C.restricted].sort()
			);
			expect(ids(await list(u.analyst, { p_area: 'IQD912' }))).toEqual([C.d2, C.g1].sort());
			expect(
				ids(await list(u.analyst, { p_actor_id: '00000000-0000-0000-00a0-000000000001' }))
			).toEqual([C.d1]);
			expect(
				ids(await list(u.analyst, { p_checkpoint_id: '00000000-0000-0000-00c0-000000000002' }))
			).toEqual([C.cpSouth]);
			expect(ids(await list(u.analyst, { p_q: 'gul' }))).toEqual([C.g1]); // "Gül", diacritics ignored
			expect(ids(await list(u.analyst, { p_sensitivity: 'restricted' }))).toEqual([C.restricted]);
			expect(ids(await list(u.field, { p_q: 'district officer' }))).toEqual([C.d1]);
			await expect(list(u.analyst, { p_sensitivity: 'secret' })).rejects.toMatchObject({
				code: '22023'
			});
		});
	});

	describe('audit', () => {
		it('writes an audit row for every read of contact details, with who and which contacts', async () => {
			await e.db.rpc('contact_get', { p_id: C.d1 }, u.field);
			expect(await lastAudit('read')).toMatchObject({
				actor_id: u.field.id,
				table_name: 'contacts',
				detail: { id: C.d1, found: true }
			});
			// A refused attempt is logged too: an admin sees a field user trying a restricted contact.
			await e.db.rpc('contact_get', { p_id: C.restricted }, u.field);
			expect(await lastAudit('read')).toMatchObject({
				actor_id: u.field.id,
				detail: { id: C.restricted, found: false }
			});

			await list(u.field, { p_area: 'IQD911' });
			const l = await lastAudit('list');
			expect(l.actor_id).toBe(u.field.id);
			expect(l.detail).toMatchObject({ count: 3, filters: { area: 'IQD911' } });
			expect((l.detail.ids as string[]).sort()).toEqual([C.d1, C.s1, C.g1].sort());

			await e.db.rpc('contacts_nearby', { p_lon: 43.1, p_lat: 36.1 }, u.analyst);
			expect(await lastAudit('nearby')).toMatchObject({
				actor_id: u.analyst.id,
				detail: { lon: 43.1, lat: 36.1, count: 5 }
			});
		});

		it('lets only analysts and admins export, and audits each export', async () => {
			const csv = await e.db.rpc<{ count: number; contacts: Contact[] }>(
				'contacts_export',
				{ p_format: 'csv' },
				u.analyst
			);
			expect(csv.count).toBe(8);
			expect(await lastAudit('export')).toMatchObject({
				actor_id: u.analyst.id,
				detail: { format: 'csv', count: 8 }
			});
			const vcf = await e.db.rpc<{ count: number }>(
				'contacts_export',
				{ p_format: 'vcard', p_ids: [C.d1, C.restricted] },
				u.admin
			);
			expect(vcf.count).toBe(2);
			const a = await lastAudit('export');
			expect(a).toMatchObject({ actor_id: u.admin.id, detail: { format: 'vcard', count: 2 } });
			expect((a.detail.ids as string[]).sort()).toEqual([C.d1, C.restricted].sort());

			for (const who of [u.field, u.viewer]) {
				await expect(e.db.rpc('contacts_export', { p_format: 'csv' }, who)).rejects.toMatchObject({
					code: '42501'
				});
			}
			await expect(e.db.rpc('contacts_export', { p_format: 'csv' }, 'anon')).rejects.toThrow(
				/permission denied/
			);
			await expect(
				e.db.rpc('contacts_export', { p_format: 'xlsx' }, u.analyst)
			).rejects.toMatchObject({ code: '22023' });
		});

		it('keeps the audit log for admins: analysts and field staff cannot read or search it', async () => {
			const r = await e.db.rpc<{
				total: number;
				rows: { action: string; user_email: string }[];
				facets: { actions: string[] };
			}>(
				'audit_log_search',
				{ p_action: 'read', p_table: 'contacts', p_user_id: u.field.id },
				u.admin
			);
			expect(r.total).toBeGreaterThanOrEqual(2);
			expect(r.rows.every((x) => x.action === 'read' && x.user_email === u.field.email)).toBe(true);
			expect(r.facets.actions).toEqual(
				expect.arrayContaining(['read', 'list', 'export', 'nearby'])
			);
			const byRow = await e.db.rpc<{ total: number }>(
				'audit_log_search',
				{ p_row_id: C.restricted, p_action: 'export' },
				u.admin
			);
			expect(byRow.total).toBe(2); // the CSV of everything and the vCard of two
			for (const who of [u.analyst, u.field, u.viewer]) {
				await expect(e.db.rpc('audit_log_search', {}, who)).rejects.toMatchObject({
					code: '42501'
				});
			}
			expect(
				await sqlAs(e.db, u.analyst, `select * from public.audit_log where table_name = 'contacts'`)
			).toHaveLength(0);
		});
	});

	describe('who to call here', () => {
		type Nearby = {
			areas: { pcode: string }[];
			checkpoints: { name: string; distance_m: number }[];
			contacts: Contact[];
		};

		it('lists the contacts of the areas containing the point, most local first, then those of the nearest checkpoints', async () => {
			const r = await e.db.rpc<Nearby>(
				'contacts_nearby',
				{ p_lon: 43.1, p_lat: 36.1, p_radius_m: 30000 },
				u.analyst
			);
			expect(r.areas.map((a) => a.pcode)).toEqual(['IQ91101', 'IQD911', 'IQG91']);
			expect(r.checkpoints.map((c) => c.name)).toEqual(['CP Corner', 'CP Quiet']);
			expect(r.checkpoints[0].distance_m).toBeGreaterThan(13000);
			expect(r.checkpoints[0].distance_m).toBeLessThan(15000);
			const names = r.contacts.map((c) => c.full_name);
			// sub-district, then district (the emergency contact first), then governorate, then checkpoint.
			expect(names.slice(0, 1)).toEqual(['Sami Corner']);
			expect(names.slice(1, 3).sort()).toEqual(['Dana West', 'Rashid Restricted']);
			expect(names[1]).toBe('Dana West');
			expect(names.includes('Gül Governor')).toBe(true);
			expect(names.at(-1)).toBe('Cem Checkpoint');
			const cem = r.contacts.at(-1)!;
			expect(cem.reasons?.[0]).toMatchObject({ via: 'checkpoint', name: 'CP Corner' });
			expect(cem.distance_m).toBeGreaterThan(13000);
			expect(names).not.toContain('Emre East');
			expect(names).not.toContain('Suha South');
		});

		it('applies need-to-know: a field user is not told about the restricted contact', async () => {
			const r = await e.db.rpc<Nearby>(
				'contacts_nearby',
				{ p_lon: 43.1, p_lat: 36.1, p_radius_m: 30000 },
				u.field
			);
			expect(r.contacts.map((c) => c.full_name)).not.toContain('Rashid Restricted');
			expect(r.contacts.map((c) => c.id).sort()).toEqual(WEST_FIELD);
			const south = await e.db.rpc<Nearby>(
				'contacts_nearby',
				{ p_lon: 43.1, p_lat: 36.1, p_radius_m: 30000 },
				southField
			);
			expect(south.contacts).toEqual([]);
		});

		it('finds checkpoint contacts only within the radius and refuses impossible points', async () => {
			const r = await e.db.rpc<Nearby>(
				'contacts_nearby',
				{ p_lon: 43.1, p_lat: 36.1, p_radius_m: 5000 },
				u.analyst
			);
			expect(r.checkpoints).toEqual([]);
			expect(r.contacts.map((c) => c.full_name)).not.toContain('Cem Checkpoint');
			await expect(
				e.db.rpc('contacts_nearby', { p_lon: 190, p_lat: 36 }, u.analyst)
			).rejects.toThrow(/^lon:/);
			await expect(
				e.db.rpc('contacts_nearby', { p_lon: 43, p_lat: -91 }, u.analyst)
			).rejects.toThrow(/^lat:/);
		});

		it('prints a companion card for a base with its emergency contacts first', async () => {
			const card = await e.db.rpc<{ site: { name: string }; contacts: Contact[] }>(
				'companion_card',
				{ p_site_id: '00000000-0000-0000-00b0-000000000001' },
				u.field
			);
			expect(card.site.name).toBe('Corner base');
			expect(card.contacts[0].full_name).toBe('Dana West');
			expect(card.contacts.map((c) => c.full_name)).not.toContain('Rashid Restricted');
			expect(await lastAudit('card')).toMatchObject({
				actor_id: u.field.id,
				detail: { site: 'Corner base' }
			});
			await expect(
				e.db.rpc('companion_card', { p_site_id: '00000000-0000-0000-00b0-000000000001' }, u.viewer)
			).rejects.toMatchObject({ code: '42501' });
			// A printed card travels in a wallet: never with restricted contacts, whoever prints it.
			const analysts = await e.db.rpc<{ contacts: Contact[] }>(
				'companion_card',
				{ p_site_id: '00000000-0000-0000-00b0-000000000001' },
				u.analyst
			);
			expect(analysts.contacts.map((c) => c.full_name)).toContain('Sami Corner');
			expect(analysts.contacts.map((c) => c.full_name)).not.toContain('Rashid Restricted');
		});

		it('lets admins assign the areas that decide what a field user sees', async () => {
			const other = await makeUser(e.db, 'field');
			expect(ids(await list(other))).toEqual([]);
			await expect(
				e.db.rpc('user_set_areas', { p_user_id: other.id, p_areas: ['IQD912'] }, u.analyst)
			).rejects.toMatchObject({ code: '42501' });
			await expect(
				e.db.rpc('user_set_areas', { p_user_id: other.id, p_areas: ['IQX9'] }, u.admin)
			).rejects.toThrow(/^areas: unknown P-code IQX9/);
			expect(
				await e.db.rpc('user_set_areas', { p_user_id: other.id, p_areas: ['IQD912'] }, u.admin)
			).toMatchObject({ assigned_areas: ['IQD912'] });
			expect(ids(await list(other))).toEqual([C.d2, C.g1].sort());
		});
	});
	describe('writing', () => {
		const save = (as: CallerUser, args: Record<string, unknown>) =>
			e.db.rpc<Contact & { id: string }>('contact_save', args, as);

		it('lets analysts and admins add contacts with phones, areas and checkpoints', async () => {
			const c = await save(u.analyst, {
				p_full_name: 'Layla New',
				p_role_title: 'Health director',
				p_sensitivity: 'normal',
				p_phones: JSON.stringify([
					{ number: '+9647504444444', phone_type: 'office', label: 'desk' },
					{ number: '+88216123456', phone_type: 'satellite' }
				]),
				p_areas: ['IQD911'],
				p_checkpoint_ids: ['00000000-0000-0000-00c0-000000000003'],
				p_messaging: JSON.stringify([{ service: 'signal', handle: '+9647504444444' }]),
				p_languages: ['ar', 'ckb'],
				p_verified: true
			});
			expect(c).toMatchObject({
				full_name: 'Layla New',
				languages: ['ar', 'ckb'],
				last_verified_by: u.analyst.id
			});
			expect(c.phones.map((p) => p.number)).toEqual(['+9647504444444', '+88216123456']);
			// …and the field user of that district now sees it.
			expect(await e.db.rpc('contact_get', { p_id: c.id }, u.field)).toMatchObject({
				full_name: 'Layla New'
			});
			// Through PostgREST (Supabase mode) a list arrives as a jsonb string: the same result.
			const viaRest = await save(u.admin, {
				p_full_name: 'Admin Added',
				p_sensitivity: 'restricted',
				p_phones: JSON.stringify(JSON.stringify([{ number: '+9647506666666' }]))
			});
			expect(viaRest).toMatchObject({
				sensitivity: 'restricted',
				phones: [{ number: '+9647506666666', phone_type: 'mobile' }]
			});
		});

		it('refuses contacts from field staff and viewers', async () => {
			await expect(
				save(u.field, { p_full_name: 'Field Added', p_areas: ['IQD911'] })
			).rejects.toThrow(/row-level security/);
			await expect(save(u.viewer, { p_full_name: 'Viewer Added' })).rejects.toMatchObject({
				code: '42501'
			});
			await expect(
				sqlAs(e.db, u.field, `insert into sensitive.contacts (full_name) values ('Direct')`)
			).rejects.toThrow(/row-level security/);
		});

		it('lets a field user correct and verify a normal contact of their area, not one outside it', async () => {
			const fixed = await save(u.field, {
				p_id: C.d1,
				p_full_name: 'Dana West',
				p_role_title: 'District officer (acting)',
				p_actor_id: '00000000-0000-0000-00a0-000000000001',
				p_emergency: true,
				p_phones: JSON.stringify([{ number: '+9647501111112', phone_type: 'mobile' }])
			});
			expect(fixed).toMatchObject({
				role_title: 'District officer (acting)',
				phones: [{ number: '+9647501111112' }]
			});
			const v = await e.db.rpc<{ last_verified_by: string; last_verified_by_name: string }>(
				'contact_verify',
				{ p_id: C.d1 },
				u.field
			);
			expect(v.last_verified_by).toBe(u.field.id);

			await expect(save(u.field, { p_id: C.d2, p_full_name: 'Emre East' })).rejects.toMatchObject({
				code: '42501'
			});
			await expect(
				save(u.field, { p_id: C.restricted, p_full_name: 'Rashid' })
			).rejects.toMatchObject({ code: '42501' });
			await expect(e.db.rpc('contact_verify', { p_id: C.d2 }, u.field)).rejects.toMatchObject({
				code: '42501'
			});
			await expect(e.db.rpc('contact_verify', { p_id: C.d1 }, u.viewer)).rejects.toMatchObject({
				code: '42501'
			});
			// A direct update of a restricted or out-of-area row touches nothing.
			const upd = await sqlAs(
				e.db,
				u.field,
				`update sensitive.contacts set notes = 'x' where id in ($1, $2) returning id`,
				[C.restricted, C.d2]
			);
			expect(upd).toHaveLength(0);
			const ph = await sqlAs(
				e.db,
				u.field,
				`insert into sensitive.contact_phones (contact_id, number) values ($1, '+9647500000000')`,
				[C.d2]
			).catch((x) => x);
			expect(String(ph)).toMatch(/row-level security/);
		});

		it('does not let a field user re-scope, restrict or delete a contact, or forge who verified it', async () => {
			await expect(
				save(u.field, { p_id: C.d1, p_full_name: 'Dana West', p_areas: ['IQD911', 'IQD921'] })
			).rejects.toThrow(/row-level security/);
			await expect(
				save(u.field, { p_id: C.d1, p_full_name: 'Dana West', p_sensitivity: 'restricted' })
			).rejects.toThrow(/row-level security/);
			await expect(e.db.rpc('contact_delete', { p_id: C.d1 }, u.field)).rejects.toMatchObject({
				code: '42501'
			});
			expect(
				await sqlAs(e.db, u.field, `delete from sensitive.contacts where id = $1 returning id`, [
					C.d1
				])
			).toHaveLength(0);
			expect(
				await sqlAs(
					e.db,
					u.field,
					`delete from sensitive.contact_areas where contact_id = $1 returning pcode`,
					[C.d1]
				)
			).toHaveLength(0);
			const forged = await sqlAs<{ last_verified_by: string }>(
				e.db,
				u.field,
				`update sensitive.contacts set last_verified_at = now(), last_verified_by = $2 where id = $1 returning last_verified_by`,
				[C.d1, u.admin.id]
			);
			expect(forged[0].last_verified_by).toBe(u.field.id);
		});

		it('gives clear field errors for bad input', async () => {
			const bad = async (args: Record<string, unknown>, msg: RegExp) => {
				const err = await save(u.analyst, { p_full_name: 'X', ...args }).catch((x) => x);
				expect(err).toMatchObject({ code: '22023' });
				expect(String(err.message)).toMatch(msg);
			};
			await bad({ p_full_name: '  ' }, /^full_name:/);
			await bad(
				{ p_phones: JSON.stringify([{ number: '0750 123' }]) },
				/^phones\[0\]\.number: "0750 123" is not a phone number/
			);
			await bad(
				{ p_phones: JSON.stringify([{ number: '+9647501234567', phone_type: 'pager' }]) },
				/^phones\[0\]\.phone_type/
			);
			await bad(
				{ p_phones: JSON.stringify([{ number: '+9647501234567' }, { number: '+9647501234567' }]) },
				/^phones: the same number/
			);
			await bad({ p_areas: ['IQX000'] }, /^areas: unknown P-code IQX000/);
			await bad({ p_languages: ['Arabic'] }, /^languages: "Arabic"/);
			await bad(
				{ p_messaging: JSON.stringify([{ service: 'carrier-pigeon', handle: 'x' }]) },
				/^messaging:/
			);
			await bad({ p_sensitivity: 'secret' }, /^sensitivity:/);
			await bad({ p_actor_id: '00000000-0000-0000-0000-00000000dead' }, /^actor_id:/);
			await bad({ p_checkpoint_ids: ['00000000-0000-0000-0000-00000000dead'] }, /^checkpoint_ids:/);
			// The table refuses a malformed number even when the function is bypassed.
			await expect(
				sqlAs(
					e.db,
					u.analyst,
					`insert into sensitive.contact_phones (contact_id, number) values ($1, 'call me')`,
					[C.d1]
				)
			).rejects.toThrow(/check constraint/);
		});

		it('lets analysts and admins delete contacts, and writes every change to the audit log', async () => {
			const c = await save(u.analyst, {
				p_full_name: 'Short Lived',
				p_phones: JSON.stringify([{ number: '+9647505555555' }])
			});
			await e.db.rpc('contact_delete', { p_id: c.id }, u.analyst);
			expect(await e.db.rpc('contact_get', { p_id: c.id }, u.admin)).toBeNull();
			await expect(e.db.rpc('contact_delete', { p_id: c.id }, u.admin)).rejects.toMatchObject({
				code: 'P0002'
			});
			const rows = await e.db.queryOwner<{ action: string; table_name: string }>(
				`select action, table_name from public.audit_log where row_id = $1 or (table_name = 'contact_phones' and before ->> 'contact_id' = $1) order by id`,
				[c.id]
			);
			expect(rows.map((r) => `${r.action} ${r.table_name}`)).toEqual(
				expect.arrayContaining(['insert contacts', 'delete contacts', 'delete contact_phones'])
			);
		});
	});
});
