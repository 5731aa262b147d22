/**
 * The foundation's RLS matrix: what each role may read and write in users, incidents, sites,
 * tokens and the audit log — including what must be refused — on every engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import {
	engineNames,
	makeRoles,
	openEngine,
	sqlAs,
	type Engine
} from '../../tests/integration/helpers/db.ts';

// A small fixture: one governorate and five incidents in different states.
const FIXTURE = `
insert into public.areas (pcode, level, name_en, name_ar, geom) values
  ('IQG99', 1, 'Testland', 'أرض الاختبار', st_multi(st_makeenvelope(43, 36, 44, 37, 4326)));
insert into public.incidents (id, event_date, event_type, geom, fatalities, status, confidentiality, admin1_pcode, notes) values
  ('00000000-0000-0000-0000-000000000001', '2014-06-10', 'battles', st_point(43.1, 36.1, 4326), 3, 'verified', 'public', 'IQG99', 'verified public'),
  ('00000000-0000-0000-0000-000000000002', '2014-06-11', 'riots', st_point(43.2, 36.2, 4326), 0, 'verified', 'restricted', 'IQG99', 'verified restricted'),
  ('00000000-0000-0000-0000-000000000003', '2014-06-12', 'protests', st_point(43.3, 36.3, 4326), 0, 'reported', 'internal', 'IQG99', 'reported'),
  ('00000000-0000-0000-0000-000000000004', '2014-06-13', 'battles', st_point(43.4, 36.4, 4326), 1, 'rejected', 'internal', 'IQG99', 'rejected'),
  ('00000000-0000-0000-0000-000000000005', '2015-01-02', 'battles', st_point(43.5, 36.5, 4326), 2, 'verified', 'internal', 'IQG99', 'verified internal');
insert into public.checkpoints (name, status, geom, is_sample) values ('CP test', 'open', st_point(43.5, 36.5, 4326), true);
`;

const BBOX = { p_west: 42, p_south: 35, p_east: 45, p_north: 38 };

describe.each(engineNames())('RLS on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		await e.db.execOwner(FIXTURE);
		u = await makeRoles(e.db);
	});
	afterAll(async () => e?.close());

	const mapTotal = async (as: CallerUser | 'anon') =>
		(await e.db.rpc<{ total: number }>('incidents_map', BBOX, as)).total;

	it('shows analysts and admins every incident, field staff and viewers only verified unrestricted ones', async () => {
		expect(await mapTotal(u.admin)).toBe(5);
		expect(await mapTotal(u.analyst)).toBe(5);
		expect(await mapTotal(u.field)).toBe(2);
		expect(await mapTotal(u.viewer)).toBe(2);
	});

	it('shows anonymous callers nothing', async () => {
		await expect(e.db.rpc('incidents_map', BBOX, 'anon')).rejects.toThrow(/permission denied/);
		const rows = await sqlAs(e.db, u.viewer, 'select count(*)::int as n from public.areas');
		expect(rows[0].n).toBe(1);
		await expect(sqlAs(e.db, 'anon', 'select count(*) from public.areas')).rejects.toThrow(
			/permission denied/
		);
	});

	it('hides a restricted incident from a viewer even by id', async () => {
		expect(
			await e.db.rpc('incident_get', { p_id: '00000000-0000-0000-0000-000000000002' }, u.viewer)
		).toBeNull();
		const got = await e.db.rpc<{ notes: string }>(
			'incident_get',
			{ p_id: '00000000-0000-0000-0000-000000000002' },
			u.analyst
		);
		expect(got.notes).toBe('verified restricted');
	});

	it('lets field staff report (as themselves, status reported) and then see their own report', async () => {
		const insert = `insert into public.incidents (event_date, event_type, geom, reported_by, notes)
		                values ('2016-01-01', 'riots', st_point(43.6, 36.6, 4326), $1, 'field report') returning id`;
		const [row] = await sqlAs<{ id: string }>(e.db, u.field, insert, [u.field.id], true);
		const seen = await e.db.rpc<{ notes: string; status: string }>(
			'incident_get',
			{ p_id: row.id },
			u.field
		);
		expect(seen).toMatchObject({ notes: 'field report', status: 'reported' });
		expect(await e.db.rpc('incident_get', { p_id: row.id }, u.viewer)).toBeNull();
		// Another field user does not see it.
		const other = await makeRoles(e.db);
		expect(await e.db.rpc('incident_get', { p_id: row.id }, other.field)).toBeNull();
	});

	it("refuses reports in someone else's name, pre-verified field reports and viewer reports", async () => {
		const insert = (status: string, by: string) =>
			`insert into public.incidents (event_date, event_type, geom, reported_by, status)
			 values ('2016-01-01', 'riots', st_point(43.6, 36.6, 4326), '${by}', '${status}')`;
		await expect(sqlAs(e.db, u.field, insert('reported', u.analyst.id))).rejects.toThrow(
			/row-level security/
		);
		await expect(sqlAs(e.db, u.field, insert('verified', u.field.id))).rejects.toThrow(
			/row-level security/
		);
		await expect(sqlAs(e.db, u.viewer, insert('reported', u.viewer.id))).rejects.toThrow(
			/row-level security/
		);
		// An analyst may record a verified incident directly.
		await expect(sqlAs(e.db, u.analyst, insert('verified', u.analyst.id))).resolves.toEqual([]);
	});

	it('lets only analysts and admins change incidents, and only admins delete them', async () => {
		const upd = `update public.incidents set fatalities = 9 where id = '00000000-0000-0000-0000-000000000001' returning id`;
		expect(await sqlAs(e.db, u.field, upd)).toHaveLength(0);
		expect(await sqlAs(e.db, u.viewer, upd)).toHaveLength(0);
		expect(await sqlAs(e.db, u.analyst, upd)).toHaveLength(1);
		const del = `delete from public.incidents where id = '00000000-0000-0000-0000-000000000001' returning id`;
		expect(await sqlAs(e.db, u.analyst, del)).toHaveLength(0);
		expect(await sqlAs(e.db, u.admin, del)).toHaveLength(1);
	});

	it('lets every role read sites but only analysts and admins change them', async () => {
		for (const role of ['admin', 'analyst', 'field', 'viewer'] as const) {
			const fc = await e.db.rpc<{
				features: { properties: { name: string; is_sample: boolean } }[];
			}>('sites_geojson', { p_kind: 'checkpoints' }, u[role]);
			expect(
				fc.features.map((f) => f.properties.name),
				role
			).toEqual(['CP test']);
			expect(fc.features[0].properties.is_sample).toBe(true);
		}
		const upd = `update public.checkpoints set status = 'closed' returning id`;
		expect(await sqlAs(e.db, u.field, upd)).toHaveLength(0);
		expect(await sqlAs(e.db, u.viewer, upd)).toHaveLength(0);
		expect(await sqlAs(e.db, u.analyst, upd)).toHaveLength(1);
		await expect(e.db.rpc('sites_geojson', { p_kind: 'bunkers' }, u.admin)).rejects.toMatchObject({
			code: '22023'
		});
	});

	it('writes every change to the audit log, which only admins can read', async () => {
		await sqlAs(e.db, u.analyst, `update public.checkpoints set status = 'restricted'`, [], true);
		const rows = await sqlAs<{
			action: string;
			actor_id: string;
			before: { status: string };
			after: { status: string };
		}>(
			e.db,
			u.admin,
			`select action, actor_id, before, after from public.audit_log where table_name = 'checkpoints' order by id desc limit 1`
		);
		expect(rows[0]).toMatchObject({
			action: 'update',
			actor_id: u.analyst.id,
			after: { status: 'restricted' }
		});
		expect(await sqlAs(e.db, u.analyst, 'select * from public.audit_log')).toHaveLength(0);
		await expect(sqlAs(e.db, u.admin, `delete from public.audit_log`)).rejects.toThrow(
			/permission denied/
		);
	});

	it('shows users their own profile, admins everyone, and lets only admins add users', async () => {
		const mine = await e.db.rpc<{ email: string }[]>('users_list', {}, u.viewer);
		expect(mine.map((x) => x.email)).toEqual([u.viewer.email]);
		const all = await e.db.rpc<unknown[]>('users_list', {}, u.admin);
		expect(all.length).toBeGreaterThanOrEqual(4);
		await expect(
			e.db.rpc(
				'user_add',
				{ p_email: 'new@x.org', p_role: 'admin', p_display_name: '', p_password_hash: 'h' },
				u.analyst
			)
		).rejects.toMatchObject({ code: '42501' });
		await expect(
			sqlAs(
				e.db,
				u.analyst,
				`update public.app_users set role = 'admin' where id = '${u.analyst.id}' returning id`
			)
		).resolves.toHaveLength(0);
	});

	it("keeps the server-only functions and tables out of users' reach", async () => {
		for (const role of ['admin', 'viewer'] as const) {
			await expect(
				e.db.rpc('private.account_credentials', { p_email: u.admin.email }, u[role])
			).rejects.toMatchObject({ code: '42501' });
		}
		await expect(sqlAs(e.db, u.admin, 'select * from private.sessions')).rejects.toThrow(
			/permission denied/
		);
	});

	it('ends sessions and API tokens when a user is disabled', async () => {
		const v = (await makeRoles(e.db)).viewer;
		await e.db.rpc(
			'private.session_create',
			{ p_user_id: v.id, p_token_hash: 'sess-' + v.id, p_ttl_seconds: 3600, p_user_agent: 't' },
			'service'
		);
		await e.db.rpc(
			'token_create',
			{ p_name: 'script', p_token_hash: 'tok-' + v.id, p_prefix: 'trt_x' },
			v
		);
		expect(
			await e.db.rpc('private.session_user', { p_token_hash: 'sess-' + v.id }, 'service')
		).toMatchObject({ email: v.email });
		expect(
			await e.db.rpc('private.token_user', { p_token_hash: 'tok-' + v.id }, 'service')
		).toMatchObject({ email: v.email });
		await expect(e.db.rpc('user_disable', { p_user_id: v.id }, u.analyst)).rejects.toMatchObject({
			code: '42501'
		});
		await e.db.rpc('user_disable', { p_user_id: v.id }, u.admin);
		expect(
			await e.db.rpc('private.session_user', { p_token_hash: 'sess-' + v.id }, 'service')
		).toBeNull();
		expect(
			await e.db.rpc('private.token_user', { p_token_hash: 'tok-' + v.id }, 'service')
		).toBeNull();
	});

	it("counts by year and governorate with the map's filters", async () => {
		const c = await e.db.rpc<{
			total: number;
			by_year: Record<string, number>;
			by_admin1: Record<string, number>;
		}>('incident_counts', { p_types: ['battles'] }, u.analyst);
		expect(c.by_year).toEqual({ '2014': 2, '2015': 1 });
		expect(c.by_admin1).toEqual({ IQG99: 3 });
		const d = await e.db.rpc<[number, number, number, number][]>(
			'incidents_density',
			{ ...BBOX, p_cell: 10 },
			u.analyst
		);
		// Density cells add up to the same total the map reports (one committed field report included).
		expect(d.reduce((s, cell) => s + cell[2], 0)).toBe(await mapTotal(u.analyst));
		expect(await mapTotal(u.analyst)).toBe(6);
	});
});
