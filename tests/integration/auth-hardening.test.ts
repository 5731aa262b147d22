/**
 * Sign-in and sessions hardened (issue 10, point 6), through the server's auth module on both
 * engines: throttling as a real limit held by the database (parallel guesses, lock-out and
 * back-off, per account and per address), the same KDF work for unknown emails, idle sessions,
 * token expiry and bulk revocation, password changes that revoke tokens, users enabled and given
 * roles — and the audit row each of these leaves, with its actor.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { Adapter, CallerUser } from '../../src/lib/server/db/types.ts';
import {
	signIn,
	signOut,
	userFromApiToken,
	userFromSession
} from '../../src/lib/server/auth/session.ts';
import { kdfRunCount } from '../../src/lib/server/auth/password.ts';
import { changePassword } from '../../src/lib/server/auth/password-change.ts';
import {
	createToken,
	tokensMine,
	revokeAllTokens,
	revokeToken,
	updateUser
} from '../../src/lib/server/auth/index.ts';
import { addUser, disableUser, enableUser, setRole } from '../../src/cli/users.ts';
import { engineNames, openEngine, type Engine } from './helpers/db.ts';

const PASSWORD = 'a long enough password';
const unique = (what: string) => `${what}-${randomBytes(4).toString('hex')}@test.org`;
const address = () => `10.${[1, 2, 3].map(() => randomBytes(1)[0]).join('.')}`;

interface AuditRow {
	action: string;
	actor_id: string | null;
	row_id: string | null;
	detail: Record<string, unknown> | null;
}

async function audit(db: Adapter, rowId: string, action?: string): Promise<AuditRow[]> {
	return db.queryOwner<AuditRow>(
		`select action, actor_id::text, row_id, detail from public.audit_log
		 where row_id = $1 and action like 'auth.%' and ($2::text is null or action = $2) order by id`,
		[rowId, action ?? null]
	);
}

async function user(db: Adapter, role: CallerUser['role'] = 'viewer'): Promise<CallerUser> {
	const email = unique(role);
	await addUser(db, { email, role, password: PASSWORD });
	const [row] = await db.queryOwner<{ id: string }>(
		'select id::text from public.app_users where email = $1',
		[email]
	);
	return { id: row.id, email, role };
}

describe.each(engineNames())('sign-in and sessions on %s', (engineName) => {
	let e: Engine;
	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		setDb(e.db);
	});
	afterAll(async () => e?.close());

	describe('throttling', () => {
		it('checks at most the window of 200 parallel wrong passwords against one account, then locks it', async () => {
			const victim = await user(e.db);
			const before = kdfRunCount();
			// From many addresses, as a botnet would: only the account limit can stop this.
			const results = await Promise.all(
				Array.from({ length: 200 }, () => signIn(victim.email, 'wrong guess 123', address(), 't'))
			);
			const checked = kdfRunCount() - before;
			const failed = results.filter((r) => !r.ok && r.reason === 'failed').length;
			const locked = results.filter((r) => !r.ok && r.reason === 'locked');
			expect(checked).toBe(failed);
			expect(checked).toBeGreaterThanOrEqual(1);
			expect(checked).toBeLessThanOrEqual(5); // the window; the row lock leaves no slack
			expect(locked.length).toBe(200 - failed);
			for (const r of locked)
				if (!r.ok && r.reason === 'locked') expect(r.retryAfter).toBeGreaterThan(0);
			// Locked means locked: even the right password is refused, and not checked.
			const k = kdfRunCount();
			expect(await signIn(victim.email, PASSWORD, address(), 't')).toMatchObject({
				ok: false,
				reason: 'locked'
			});
			expect(kdfRunCount()).toBe(k);
			expect((await audit(e.db, victim.id, 'auth.sign_in_failed')).length).toBe(failed);
			const lockouts = await e.db.queryOwner<{ n: number }>(
				`select count(*)::int as n from public.audit_log
				 where action = 'auth.sign_in_locked' and detail ->> 'key' = $1`,
				[`account:${victim.email}`]
			);
			expect(lockouts[0].n).toBe(1);
		});

		it('doubles the lock-out each time the window fills again', async () => {
			const victim = await user(e.db);
			const ip = address();
			const fail = () => signIn(victim.email, 'wrong guess 123', ip, 't');
			for (let i = 0; i < 5; i++) expect(await fail()).toMatchObject({ reason: 'failed' });
			const first = await fail();
			expect(first).toMatchObject({ reason: 'locked' });
			const wait1 = !first.ok && first.reason === 'locked' ? first.retryAfter : 0;
			expect(wait1).toBeGreaterThan(4 * 60);
			expect(wait1).toBeLessThanOrEqual(5 * 60);
			// The lock-out ends (as if its time had passed), and the window fills again.
			await e.db.queryOwner(
				`update private.signin_throttle set locked_until = now() - interval '1 second' where key = $1`,
				[`account:${victim.email}`]
			);
			for (let i = 0; i < 5; i++) expect(await fail()).toMatchObject({ reason: 'failed' });
			const second = await fail();
			const wait2 = !second.ok && second.reason === 'locked' ? second.retryAfter : 0;
			expect(wait2).toBeGreaterThan(9 * 60);
			expect(wait2).toBeLessThanOrEqual(10 * 60);
		});

		it("does not let one's own sign-in reset the address's count of other accounts' failures", async () => {
			const me = await user(e.db);
			const ip = address();
			// Password spraying: 4 guesses on each of 5 accounts (under each account's limit of 5),
			// with the attacker's own good sign-in in between.
			for (let a = 0; a < 5; a++) {
				if (a > 0) expect((await signIn(me.email, PASSWORD, ip, 't')).ok).toBe(true);
				const target = unique('sprayed');
				for (let i = 0; i < 4; i++)
					expect(await signIn(target, 'Summer2026!!', ip, 't')).toMatchObject({ reason: 'failed' });
			}
			// 20 failures from this address: the next attempt from it is refused, whoever it is for.
			expect(await signIn(unique('sprayed'), 'Summer2026!!', ip, 't')).toMatchObject({
				reason: 'locked'
			});
			expect(await signIn(me.email, PASSWORD, ip, 't')).toMatchObject({ reason: 'locked' });
			// Other addresses are not affected.
			expect((await signIn(me.email, PASSWORD, address(), 't')).ok).toBe(true);
		});

		it('does not make everyone behind an address wait for the failures of one account', async () => {
			const victim = await user(e.db);
			const colleague = await user(e.db);
			const ip = address();
			for (let i = 0; i < 30; i++) await signIn(victim.email, 'wrong guess 123', ip, 't');
			expect(await signIn(victim.email, PASSWORD, ip, 't')).toMatchObject({ reason: 'locked' });
			const t = performance.now();
			const r = await signIn(colleague.email, PASSWORD, ip, 't');
			expect(r.ok).toBe(true);
			expect(performance.now() - t).toBeLessThan(5000); // no sleeping: at most a KDF run
		});

		it('runs the KDF for unknown emails, disabled accounts and wrong passwords alike', async () => {
			const known = await user(e.db);
			const off = await user(e.db);
			await disableUser(e.db, off.email);
			for (const email of [known.email, unique('nobody'), off.email]) {
				const k = kdfRunCount();
				expect(await signIn(email, 'wrong guess 123', address(), 't')).toEqual({
					ok: false,
					reason: 'failed'
				});
				expect(kdfRunCount() - k).toBe(1);
			}
			// A disabled account with its right password: the same answer, the same work.
			const k = kdfRunCount();
			expect(await signIn(off.email, PASSWORD, address(), 't')).toEqual({
				ok: false,
				reason: 'failed'
			});
			expect(kdfRunCount() - k).toBe(1);
		});
	});

	describe('sessions', () => {
		it('end after the idle time, and activity keeps them alive', async () => {
			const u = await user(e.db);
			const saved = process.env.TERRAIN_SESSION_IDLE_HOURS;
			process.env.TERRAIN_SESSION_IDLE_HOURS = String(3 / 3600); // 3 s
			try {
				const r = await signIn(u.email, PASSWORD, address(), 't');
				if (!r.ok) throw new Error('sign-in failed');
				const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
				for (let i = 0; i < 3; i++) {
					await sleep(1500); // 4.5 s in all, longer than the idle time, but never idle for 3 s
					expect(await userFromSession(r.token)).toMatchObject({ email: u.email });
				}
				await sleep(3500);
				expect(await userFromSession(r.token)).toBeNull();
			} finally {
				if (saved === undefined) delete process.env.TERRAIN_SESSION_IDLE_HOURS;
				else process.env.TERRAIN_SESSION_IDLE_HOURS = saved;
			}
		});

		it('log sign-in and sign-out with the user as actor', async () => {
			const u = await user(e.db);
			const r = await signIn(u.email, PASSWORD, '192.0.2.7', 'agent/1');
			if (!r.ok) throw new Error('sign-in failed');
			await signOut(r.token);
			const rows = await audit(e.db, u.id);
			expect(rows.map((x) => x.action)).toEqual(['auth.user_add', 'auth.sign_in', 'auth.sign_out']);
			expect(rows[1]).toMatchObject({ actor_id: u.id, detail: { address: '192.0.2.7' } });
			expect(rows[2].actor_id).toBe(u.id);
		});
	});

	describe('API tokens', () => {
		it('expire: an expired token no longer authenticates', async () => {
			const u = await user(e.db);
			const t = await createToken(u, 'short-lived', 1);
			const days = (Date.parse(t.expires_at) - Date.now()) / 86_400_000;
			expect(days).toBeGreaterThan(0.99);
			expect(days).toBeLessThan(1.01);
			const def = await createToken(u, 'default');
			expect((Date.parse(def.expires_at) - Date.now()) / 86_400_000).toBeCloseTo(90, 1);
			expect(await userFromApiToken(t.token)).toMatchObject({ email: u.email });
			await e.db.queryOwner(
				`update public.api_tokens set expires_at = now() - interval '1 second' where id = $1`,
				[t.id]
			);
			expect(await userFromApiToken(t.token)).toBeNull();
			expect(await userFromApiToken(def.token)).toMatchObject({ email: u.email });
			expect((await tokensMine(u)).find((x) => x.id === t.id)?.expires_at).toBeTruthy();
			await expect(createToken(u, 'too long', 400)).rejects.toMatchObject({ code: '22023' });
		});

		it('are revoked all at once, by their owner or by an admin, each revocation logged', async () => {
			const admin = await user(e.db, 'admin');
			const u = await user(e.db);
			const other = await user(e.db);
			const mine = [
				await createToken(u, 'a'),
				await createToken(u, 'b'),
				await createToken(u, 'c')
			];
			await revokeToken(u, mine[0].id);
			expect(await revokeAllTokens(u)).toEqual({ user_id: u.id, revoked: 2 });
			for (const t of mine) expect(await userFromApiToken(t.token)).toBeNull();

			const theirs = [await createToken(other, 'x'), await createToken(other, 'y')];
			await expect(revokeAllTokens(u, other.id)).rejects.toMatchObject({ code: '42501' });
			await expect(revokeToken(u, theirs[0].id)).rejects.toMatchObject({ code: 'P0002' });
			expect(await userFromApiToken(theirs[0].token)).not.toBeNull();
			expect(await revokeAllTokens(admin, other.id)).toEqual({ user_id: other.id, revoked: 2 });
			for (const t of theirs) expect(await userFromApiToken(t.token)).toBeNull();

			const created = await audit(e.db, u.id, 'auth.token_create');
			expect(created.map((r) => r.detail?.name)).toEqual(['a', 'b', 'c']);
			expect(created.every((r) => r.actor_id === u.id)).toBe(true);
			const revoked = await audit(e.db, u.id, 'auth.token_revoke');
			expect(revoked.map((r) => (r.detail?.token_ids as string[]).length)).toEqual([1, 2]);
			expect(revoked.every((r) => r.actor_id === u.id)).toBe(true);
			const byAdmin = await audit(e.db, other.id, 'auth.token_revoke');
			expect(byAdmin).toHaveLength(1);
			expect(byAdmin[0].actor_id).toBe(admin.id);
		});

		it('are revoked by a password change when the user asks for it', async () => {
			const u = await user(e.db);
			const keep = await createToken(u, 'kept');
			expect(
				await changePassword(
					u,
					PASSWORD,
					'second password!!',
					'second password!!',
					undefined,
					false
				)
			).toBeNull();
			expect(await userFromApiToken(keep.token)).not.toBeNull();
			const t2 = await createToken(u, 'other');
			expect(
				await changePassword(
					u,
					'second password!!',
					'third password!!!',
					'third password!!!',
					undefined,
					true
				)
			).toBeNull();
			expect(await userFromApiToken(keep.token)).toBeNull();
			expect(await userFromApiToken(t2.token)).toBeNull();
			const changes = await audit(e.db, u.id, 'auth.password_change');
			expect(changes.map((r) => r.detail?.tokens_revoked)).toEqual([0, 2]);
			expect(changes.every((r) => r.actor_id === u.id)).toBe(true);
		});
	});

	describe('users', () => {
		it('`user add` refuses an existing user and changes nothing', async () => {
			const u = await user(e.db, 'viewer');
			await disableUser(e.db, u.email);
			await expect(
				addUser(e.db, { email: u.email, role: 'admin', password: PASSWORD })
			).rejects.toThrow(/already exists/);
			const [row] = await e.db.queryOwner<{ role: string; disabled: boolean }>(
				'select role, disabled from public.app_users where id = $1',
				[u.id]
			);
			expect(row).toEqual({ role: 'viewer', disabled: true });
		});

		it('the CLI enables and changes roles, logged with the local operator', async () => {
			process.env.TERRAIN_OPERATOR = 'ops@test-host';
			try {
				const u = await user(e.db, 'viewer');
				await disableUser(e.db, u.email);
				expect(await enableUser(e.db, u.email)).toMatchObject({ disabled: false });
				expect(await setRole(e.db, u.email, 'analyst')).toMatchObject({ role: 'analyst' });
				await expect(setRole(e.db, u.email, 'boss')).rejects.toThrow(/--role/);
				await expect(enableUser(e.db, unique('nobody'))).rejects.toThrow(/no user/);
				const rows = await audit(e.db, u.id);
				expect(rows.map((r) => r.action)).toEqual([
					'auth.user_add',
					'auth.user_disable',
					'auth.user_enable',
					'auth.role_change'
				]);
				for (const r of rows)
					expect(r.detail).toMatchObject({ operator: 'ops@test-host', via: 'cli' });
				expect(rows[3].detail).toMatchObject({ from: 'viewer', to: 'analyst' });
			} finally {
				delete process.env.TERRAIN_OPERATOR;
			}
		});

		it('admins enable and change roles, logged with the admin as actor; others cannot', async () => {
			const admin = await user(e.db, 'admin');
			const analyst = await user(e.db, 'analyst');
			const u = await user(e.db, 'viewer');
			await expect(updateUser(analyst, u.id, { role: 'admin' })).rejects.toMatchObject({
				code: '42501'
			});
			await expect(updateUser(admin, admin.id, { role: 'viewer' })).rejects.toMatchObject({
				code: '22023'
			});
			const t = await createToken(u, 'script');
			expect(await updateUser(admin, u.id, { disabled: true })).toMatchObject({ disabled: true });
			expect(await userFromApiToken(t.token)).toBeNull();
			expect(await updateUser(admin, u.id, { disabled: false, role: 'field' })).toMatchObject({
				disabled: false,
				role: 'field'
			});
			// Nothing to change: nothing logged.
			await updateUser(admin, u.id, { role: 'field' });
			const rows = (await audit(e.db, u.id)).filter((r) => r.action !== 'auth.token_create');
			expect(rows.map((r) => [r.action, r.actor_id])).toEqual([
				['auth.user_add', null],
				['auth.token_revoke', admin.id],
				['auth.user_disable', admin.id],
				['auth.role_change', admin.id],
				['auth.user_enable', admin.id]
			]);
		});

		it('app roles cannot write auth audit rows or reach the throttle', async () => {
			const admin = await user(e.db, 'admin');
			await expect(
				e.db.rpc(
					'private.auth_audit',
					{ p_action: 'auth.sign_in', p_actor: null, p_row_id: null, p_detail: {} },
					admin
				)
			).rejects.toMatchObject({ code: '42501' });
			await expect(
				e.db.rpc(
					'private.signin_finish',
					{ p_account: 'x', p_address: 'y', p_success: true, p_user_id: null },
					admin
				)
			).rejects.toMatchObject({ code: '42501' });
		});
	});
});
