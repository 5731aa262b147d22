/**
 * The audit log as an attacker and an operator meet it: its hash chain verifies on a fresh
 * database and names the first entry the owner changed, deleted or reordered; app roles cannot
 * write it or switch it off; restricted reads and refusals are noted; deleting a contact redacts
 * its personal data from earlier rows and the chain still verifies; the admins' audit view is a
 * contact read. On PGlite and, with TEST_DATABASE_URL, on PostgreSQL+PostGIS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditVerify } from '../../src/cli/audit.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';

interface Row {
	id: number;
	seq: number;
	action: string;
	table_name: string | null;
	actor_id: string | null;
	detail: Record<string, unknown> | null;
	before: Record<string, unknown> | null;
	after: Record<string, unknown> | null;
}

describe.each(engineNames())('audit log on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	/** The CLI's check: exit code and what it printed. */
	async function verify() {
		const out: string[] = [];
		const code = await auditVerify(
			e.db,
			(s) => out.push(s),
			(s) => out.push(s)
		);
		return { code, out: out.join('\n') };
	}
	const rows = (where: string, params: unknown[] = []) =>
		e.db.queryOwner<Row>(`select * from public.audit_log where ${where} order by id`, params);

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		u = await makeRoles(e.db);
	});
	afterAll(async () => e?.close());

	it('chains every row at commit: seq 1…n without gaps, each linked to the previous hash', async () => {
		const all = await e.db.queryOwner<{ seq: string; prev_hash: string; hash: string }>(
			`select seq, prev_hash, hash from public.audit_log order by seq`
		);
		expect(all.length).toBeGreaterThanOrEqual(4); // the four users
		all.forEach((r, i) => {
			expect(Number(r.seq)).toBe(i + 1);
			expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
			expect(r.prev_hash).toBe(i === 0 ? '0'.repeat(64) : all[i - 1].hash);
		});
		expect(
			await e.db.queryOwner(`select 1 from public.audit_log where seq is null or hash is null`)
		).toEqual([]);
	});

	it('`terrain audit verify` passes on a fresh database', async () => {
		const v = await verify();
		expect(v.code).toBe(0);
		expect(v.out).toMatch(/^audit log OK: \d+ entries, chain head \d+ [0-9a-f]{64}/);
	});

	it('an app role cannot call the audit writer nor write the table', async () => {
		for (const who of [u.admin, u.viewer]) {
			await expect(
				sqlAs(e.db, who, `select public.audit_note('read', 'incidents', '{}')`)
			).rejects.toThrow(/permission denied/);
			await expect(
				sqlAs(e.db, who, `insert into public.audit_log (action) values ('forged')`)
			).rejects.toThrow(/permission denied|row-level security/);
			await expect(
				sqlAs(e.db, who, `update public.audit_log set action = 'x'`, [], true)
			).rejects.toThrow(/permission denied/);
		}
		await expect(
			sqlAs(e.db, 'anon', `select public.audit_record('read', 'incidents', '{}')`)
		).rejects.toThrow(/permission denied/);
	});

	it('the notes app roles may write take fixed actions and the caller’s own id only', async () => {
		await expect(
			e.db.rpc('audit_record', { p_action: 'delete', p_table: 'incidents', p_detail: {} }, u.viewer)
		).rejects.toMatchObject({ code: '22023' });
		await expect(
			e.db.rpc('audit_record', { p_action: 'merge', p_table: 'incidents', p_detail: {} }, u.viewer)
		).rejects.toMatchObject({ code: '42501' });
		await expect(
			e.db.rpc(
				'audit_record',
				{ p_action: 'merge', p_table: 'incidents', p_detail: { merge_id: crypto.randomUUID() } },
				u.analyst
			)
		).rejects.toMatchObject({ code: '22023' });
		await expect(
			e.db.rpc('audit_record', { p_action: 'read', p_table: 'no_such', p_detail: {} }, u.viewer)
		).rejects.toMatchObject({ code: '22023' });
		await e.db.rpc(
			'audit_record',
			{ p_action: 'read', p_table: 'incidents', p_detail: { actor_id: u.admin.id } },
			u.viewer
		);
		const [last] = await rows(
			`action = 'read' and table_name = 'incidents' and detail ? 'actor_id'`
		);
		expect(last.actor_id).toBe(u.viewer.id);
	});

	it('no session setting silences it: set local terrain.audit = off still leaves a row', async () => {
		await sqlAs(
			e.db,
			u.admin,
			`with s as (select set_config('terrain.audit', 'off', true) as off)
			 insert into public.actors (name, actor_type) select 'Silent Actor', 'authority' from s`,
			[],
			true
		);
		const r = await rows(`table_name = 'actors' and after ->> 'name' = 'Silent Actor'`);
		expect(r.map((x) => [x.action, x.actor_id])).toEqual([['insert', u.admin.id]]);
		// nor can an app role pause it the way the seed loader does
		await expect(
			sqlAs(e.db, u.admin, `insert into private.audit_pause (xid) values (txid_current())`)
		).rejects.toThrow(/permission denied/);
	});

	it('notes every read of a restricted incident, and not of an ordinary one', async () => {
		const [{ id: restricted }] = await e.db.queryOwner<{ id: string }>(
			`insert into public.incidents (event_date, event_type, geom, confidentiality, status, notes)
			 values ('2024-05-01', 'battles', st_point(43.1, 36.1, 4326), 'restricted', 'verified', 'secret')
			 returning id`
		);
		const [{ id: ordinary }] = await e.db.queryOwner<{ id: string }>(
			`insert into public.incidents (event_date, event_type, geom, status)
			 values ('2024-05-02', 'battles', st_point(43.1, 36.1, 4326), 'verified') returning id`
		);
		expect(await e.db.rpc('incident_get', { p_id: restricted }, u.analyst)).toMatchObject({
			notes: 'secret'
		});
		expect(await e.db.rpc('incident_get', { p_id: restricted }, u.viewer)).toBeNull();
		await e.db.rpc('incident_get', { p_id: ordinary }, u.analyst);
		const reads = await rows(`action = 'read' and table_name = 'incidents' and detail ? 'id'`);
		expect(reads.map((r) => [r.actor_id, r.detail?.id])).toEqual([[u.analyst.id, restricted]]);
	});

	it('notes a refused request with the caller’s own id, and takes nothing else from them', async () => {
		await expect(e.db.rpc('contacts_list', {}, u.viewer)).rejects.toMatchObject({ code: '42501' });
		await e.db.rpc(
			'audit_refused',
			{ p_method: 'GET', p_path: '/api/v1/contacts', p_status: 403 },
			u.viewer
		);
		const [r] = await rows(`action = 'refused'`);
		expect(r).toMatchObject({
			actor_id: u.viewer.id,
			table_name: 'contacts',
			detail: { method: 'GET', path: '/api/v1/contacts', status: 403, role: 'viewer' }
		});
		await expect(
			e.db.rpc(
				'audit_refused',
				{ p_method: 'GET', p_path: 'x'.repeat(400), p_status: 403 },
				u.viewer
			)
		).rejects.toMatchObject({ code: '22023' });
		await expect(
			e.db.rpc('audit_refused', { p_method: 'GET', p_path: '/x', p_status: 200 }, u.viewer)
		).rejects.toMatchObject({ code: '22023' });
		await expect(
			e.db.rpc('audit_refused', { p_method: 'GET', p_path: '/x' }, 'anon')
		).rejects.toThrow(/permission denied/);
	});

	it('deleting a contact redacts its personal data from earlier rows; the chain still verifies', async () => {
		const c = await e.db.rpc<{ id: string }>(
			'contact_save',
			{
				p_full_name: 'Abu Redact',
				p_role_title: 'Informant',
				p_notes: 'meets at the bakery',
				p_phones: JSON.stringify([{ number: '+9647507777777', label: 'private line' }])
			},
			u.analyst
		);
		await e.db.rpc('contact_get', { p_id: c.id }, u.admin);
		await e.db.rpc('contact_delete', { p_id: c.id }, u.admin);
		const about = await rows(
			`(table_name = 'contacts' and row_id = $1) or (table_name = 'contact_phones'
			  and coalesce(after ->> 'contact_id', before ->> 'contact_id') = $1)`,
			[c.id]
		);
		expect(about.map((r) => `${r.action} ${r.table_name}`)).toEqual(
			expect.arrayContaining([
				'insert contacts',
				'insert contact_phones',
				'delete contacts',
				'delete contact_phones'
			])
		);
		const text = JSON.stringify(about);
		for (const secret of ['Abu Redact', 'Informant', 'bakery', '7507777777', 'private line'])
			expect(text).not.toContain(secret);
		expect(text).toMatch(/\[redacted sha256:[0-9a-f]{64}\]/);
		// the fact of the deletion stays: who, what, which row
		const del = about.find((r) => r.action === 'delete' && r.table_name === 'contacts');
		expect(del).toMatchObject({ actor_id: u.admin.id, before: { id: c.id } });
		expect((await verify()).code).toBe(0);
	});

	it('the admins’ audit view is a contact read, noted like any other', async () => {
		const before = await rows(`action = 'read' and detail ->> 'via' = 'audit_log'`);
		const r = await e.db.rpc<{ rows: Row[] }>('audit_log_search', { p_table: 'contacts' }, u.admin);
		expect(r.rows.length).toBeGreaterThan(0);
		const after = await rows(`action = 'read' and detail ->> 'via' = 'audit_log'`);
		expect(after.length).toBe(before.length + 1);
		expect(after.at(-1)).toMatchObject({ actor_id: u.admin.id, table_name: 'contacts' });
		expect((after.at(-1)?.detail?.ids as string[]).length).toBeGreaterThan(0);
	});

	describe('tampering by the owner is found and named', () => {
		it('a changed row', async () => {
			const [r] = await e.db.queryOwner<{ action: string }>(
				`select action from public.audit_log where seq = 3`
			);
			await e.db.execOwner(`update public.audit_log set action = 'nothing' where seq = 3`);
			const v = await verify();
			expect(v.code).toBe(1);
			expect(v.out).toMatch(/BROKEN \(changed\): entry 3 \(id \d+, nothing .*\) was changed/);
			// put back as it was: whole again
			await e.db.queryOwner(`update public.audit_log set action = $1 where seq = 3`, [r.action]);
			expect((await verify()).code).toBe(0);
		});

		it('two rows swapped', async () => {
			await e.db.execOwner(`
				update public.audit_log set seq = -5 where seq = 5;
				update public.audit_log set seq = 5 where seq = 6;
				update public.audit_log set seq = 6 where seq = -5;
			`);
			const v = await verify();
			expect(v.code).toBe(1);
			expect(v.out).toMatch(/BROKEN \(reordered\): entry 5 \(id \d+, .*\) is out of order/);
			await e.db.execOwner(`
				update public.audit_log set seq = -5 where seq = 5;
				update public.audit_log set seq = 5 where seq = 6;
				update public.audit_log set seq = 6 where seq = -5;
			`);
			expect((await verify()).code).toBe(0);
		});

		it('a deleted row, in the middle and at the end', async () => {
			const [{ n }] = await e.db.queryOwner<{ n: string }>(
				`select max(seq) as n from public.audit_log`
			);
			await e.db.execOwner(`delete from public.audit_log where seq = ${Number(n)}`);
			let v = await verify();
			expect(v.code).toBe(1);
			expect(v.out).toMatch(new RegExp(`BROKEN \\(missing\\): entries ${n} to ${n} are missing`));
			await e.db.execOwner(`delete from public.audit_log where seq = 7`);
			v = await verify();
			expect(v.code).toBe(1);
			expect(v.out).toMatch(/BROKEN \(missing\): entry 7 is missing: the chain jumps from 6 to 8/);
		});
	});
});
