/**
 * Local accounts end to end through the server's auth module (not only the SQL): sign-in,
 * generic failures, throttling counts, sessions, one-time passwords and password changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import {
	signIn,
	signOut,
	userFromSession,
	userFromApiToken
} from '../../src/lib/server/auth/session.ts';
import { changePassword } from '../../src/lib/server/auth/password-change.ts';
import { addUser, createToken, ensureAdmin } from '../../src/cli/users.ts';
import { engineNames, openEngine, type Engine } from './helpers/db.ts';

describe.each(engineNames())('local accounts on %s', (engineName) => {
	let e: Engine;
	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		setDb(e.db);
	});
	afterAll(async () => e?.close());

	it('creates the first admin once, with a one-time password that must be changed', async () => {
		delete process.env.TERRAIN_ADMIN_PASSWORD;
		const first = await ensureAdmin(e.db);
		expect(first?.generated).toBe(true);
		expect(await ensureAdmin(e.db)).toBeNull();

		const r = await signIn(first!.email, first!.password, '10.0.0.1', 'test');
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		const u = await userFromSession(r.token);
		expect(u).toMatchObject({ email: 'admin@terrain.local', role: 'admin', must_change: true });

		expect(await changePassword(u!, first!.password, 'short', 'short', r.token)).toBe(
			'password_too_short'
		);
		expect(
			await changePassword(u!, first!.password, 'a new long password', 'a different one!', r.token)
		).toBe('auth.mismatch');
		expect(
			await changePassword(
				u!,
				'wrong current pass',
				'a new long password',
				'a new long password',
				r.token
			)
		).toBe('auth.current_wrong');
		expect(
			await changePassword(
				u!,
				first!.password,
				'a new long password',
				'a new long password',
				r.token
			)
		).toBeNull();
		expect((await userFromSession(r.token))?.must_change).toBe(false);
		expect((await signIn(first!.email, first!.password, '10.0.0.1', 'test')).ok).toBe(false);
		expect((await signIn(first!.email, 'a new long password', '10.0.0.1', 'test')).ok).toBe(true);
	});

	it('answers every failure the same way and records it for throttling', async () => {
		const a = await addUser(e.db, {
			email: 'field1@test.org',
			role: 'field',
			password: 'field password 1'
		});
		expect(a.generated).toBe(false);
		expect(await signIn('field1@test.org', 'wrong password!', '10.0.0.2', 't')).toEqual({
			ok: false,
			reason: 'failed'
		});
		expect(await signIn('nobody@test.org', 'wrong password!', '10.0.0.2', 't')).toEqual({
			ok: false,
			reason: 'failed'
		});
		const counts = async () =>
			Object.fromEntries(
				(
					await e.db.queryOwner<{ key: string; failures: number }>(
						`select key, failures from private.signin_throttle where key in
						 ('address:10.0.0.2', 'account:field1@test.org', 'account:nobody@test.org')`
					)
				).map((r) => [r.key, r.failures])
			);
		expect(await counts()).toEqual({
			'address:10.0.0.2': 2,
			'account:field1@test.org': 1,
			'account:nobody@test.org': 1
		});
		const ok = await signIn('FIELD1@test.org ', 'field password 1', '10.0.0.2', 't');
		expect(ok.ok).toBe(true);
		// The account's counter is cleared; the address keeps the other failures.
		expect(await counts()).toEqual({
			'address:10.0.0.2': 2,
			'account:field1@test.org': 0,
			'account:nobody@test.org': 1
		});
	});

	it('ends a session on sign-out, and refuses disabled users', async () => {
		await addUser(e.db, {
			email: 'viewer1@test.org',
			role: 'viewer',
			password: 'viewer password 1'
		});
		const r = await signIn('viewer1@test.org', 'viewer password 1', '10.0.0.3', 't');
		if (!r.ok) throw new Error('sign-in failed');
		expect(await userFromSession(r.token)).toMatchObject({ role: 'viewer' });
		await signOut(r.token);
		expect(await userFromSession(r.token)).toBeNull();
		expect(await userFromSession('trs_made_up')).toBeNull();

		const { token } = await createToken(e.db, 'viewer1@test.org', 'script');
		expect(await userFromApiToken(token)).toMatchObject({ email: 'viewer1@test.org' });
		await e.db.rpc('private.account_disable', { p_email: 'viewer1@test.org' }, 'service');
		expect(await userFromApiToken(token)).toBeNull();
		expect((await signIn('viewer1@test.org', 'viewer password 1', '10.0.0.3', 't')).ok).toBe(false);
	});
});
