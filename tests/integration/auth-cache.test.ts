/**
 * The embedded engine's session cache (src/lib/server/auth/cache.ts, issue 16 point 5): session
 * and token look-ups and /me are answered from memory, so they no longer wait for a long call —
 * and a sign-out, a revoked token, a disabled user or a changed role counts from the very next
 * request, idle and absolute expiry apply as in the database, and the activity answered from
 * memory reaches the database. On PostgreSQL nothing is kept.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import { PgliteAdapter } from '../../src/lib/server/db/pglite.ts';
import type { WorkerEngine } from '../../src/lib/server/db/pglite-remote.ts';
import { authCache, type AuthCache } from '../../src/lib/server/auth/cache.ts';
import { signOut, userFromApiToken, userFromSession } from '../../src/lib/server/auth/session.ts';
import * as accounts from '../../src/lib/server/auth/index.ts';
import { digest, newSecret } from '../../src/lib/server/auth/tokens.ts';
import type { CallerUser } from '../../src/lib/server/db/types.ts';
import { makeUser, openPostgres } from './helpers/db.ts';

// About a second of work for PGlite: the map call a cheap request must not wait for.
const HEAVY = 'select count(*)::int as n from generate_series(1, 4000000)';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// PGlite in its worker (the default) and in the server's thread (TERRAIN_PGLITE_WORKER=off): the
// notification must reach the cache before the committing call answers in both.
describe.each([
	{ where: 'in its worker', worker: true },
	{ where: "in the server's thread", worker: false }
])('the session cache on the embedded engine (PGlite $where)', ({ worker }) => {
	let db: PgliteAdapter;
	let cache: AuthCache;
	let admin: CallerUser;

	beforeAll(async () => {
		db = await PgliteAdapter.fromDump(new Blob([readFileSync(inject('pglite_migrated'))]), {
			worker
		});
		setDb(db);
		cache = authCache(db)!;
		await cache.listening$;
		admin = await makeUser(db, 'admin');
	}, 120_000);
	afterAll(async () => db?.close());

	async function session(user: CallerUser, ttlSeconds = 3600): Promise<string> {
		const token = newSecret('trs');
		await db.rpc(
			'private.session_create',
			{
				p_user_id: user.id,
				p_token_hash: digest(token),
				p_ttl_seconds: ttlSeconds,
				p_user_agent: 'test'
			},
			'service'
		);
		return token;
	}

	it('answers a known session while a long call runs, and refuses it once signed out', async () => {
		const u = await makeUser(db, 'analyst');
		const token = await session(u);
		expect(await userFromSession(token)).toMatchObject({ id: u.id, role: 'analyst' });

		const order: string[] = [];
		const heavy = db.queryOwner(HEAVY).then(() => order.push('long call'));
		await sleep(50);
		const again = await userFromSession(token);
		order.push('session');
		await heavy;
		expect(again).toEqual({
			id: u.id,
			email: u.email,
			role: 'analyst',
			display_name: 'analyst',
			must_change: false
		});
		// In the server's thread PGlite holds the event loop for the whole call: nothing can answer.
		if (worker) expect(order).toEqual(['session', 'long call']);

		await signOut(token);
		expect(await userFromSession(token)).toBeNull();
	});

	it('refuses a revoked API token at the next request', async () => {
		const u = await makeUser(db, 'viewer');
		const token = newSecret('trt');
		const t = await db.rpc<{ id: string }>(
			'token_create',
			{ p_name: 'script', p_token_hash: digest(token), p_prefix: token.slice(0, 10) },
			u
		);
		expect(await userFromApiToken(token)).toMatchObject({ id: u.id, token_id: t.id });
		const hits = cache.hits;
		expect(await userFromApiToken(token)).toMatchObject({ id: u.id });
		expect(cache.hits).toBe(hits + 1);
		await db.rpc('token_revoke', { p_id: t.id }, u);
		expect(await userFromApiToken(token)).toBeNull();
	});

	it('refuses a disabled user and sees a new role at the next request, /me included', async () => {
		const u = await makeUser(db, 'analyst');
		const v = await makeUser(db, 'analyst');
		const [tu, tv] = [await session(u), await session(v)];
		const meU = await accounts.me(u);
		expect(meU).toMatchObject({ id: u.id, role: 'analyst' });
		// Kept per user: another user asking gets their own profile, never this one.
		expect(await accounts.me(v)).toMatchObject({ id: v.id });
		expect(await accounts.me(u)).toEqual(meU);
		await userFromSession(tu);
		await userFromSession(tv);

		await db.rpc('user_set_role', { p_user_id: u.id, p_role: 'viewer' }, admin);
		expect(await userFromSession(tu)).toMatchObject({ id: u.id, role: 'viewer' });
		expect(await accounts.me(u)).toMatchObject({ id: u.id, role: 'viewer' });

		await db.rpc('user_disable', { p_user_id: v.id }, admin);
		expect(await userFromSession(tv)).toBeNull();
		expect(await accounts.me(v)).toMatchObject({ id: v.id, disabled: true });
	});

	it('applies absolute expiry from memory', async () => {
		const u = await makeUser(db, 'field');
		const token = await session(u, 2);
		expect(await userFromSession(token)).toMatchObject({ id: u.id });
		await sleep(2100);
		const hits = cache.hits;
		expect(await userFromSession(token)).toBeNull();
		expect(cache.hits).toBe(hits);
	});

	describe('with a two-second idle limit', () => {
		const before = process.env.TERRAIN_SESSION_IDLE_HOURS;
		beforeAll(() => {
			process.env.TERRAIN_SESSION_IDLE_HOURS = String(2 / 3600);
		});
		afterAll(() => {
			if (before === undefined) delete process.env.TERRAIN_SESSION_IDLE_HOURS;
			else process.env.TERRAIN_SESSION_IDLE_HOURS = before;
		});

		it('ends a session left idle', async () => {
			const u = await makeUser(db, 'field');
			const token = await session(u);
			expect(await userFromSession(token)).toMatchObject({ id: u.id });
			await sleep(2100);
			expect(await userFromSession(token)).toBeNull();
		});

		it('keeps a session in use alive, and the database hears of its activity', async () => {
			const u = await makeUser(db, 'field');
			const token = await session(u);
			const hits = cache.hits;
			for (let i = 0; i < 8; i++) {
				expect(await userFromSession(token)).toMatchObject({ id: u.id });
				await sleep(400);
			}
			expect(cache.hits).toBeGreaterThan(hits); // answered from memory, not by the database
			// Forgotten here, the session is judged by the database alone: still live.
			cache.forget();
			expect(await userFromSession(token)).toMatchObject({ id: u.id });
		});
	});

	// Last: this database is in memory, so it is gone with its worker (on a data directory the
	// next call would reopen it: pglite-worker.test.ts).
	it.runIf(worker)('forgets everything when the worker dies', async () => {
		const u = await makeUser(db, 'viewer');
		const token = await session(u);
		await userFromSession(token);
		expect(await userFromSession(token)).toMatchObject({ id: u.id });
		await (db.engine as WorkerEngine).thread!.terminate();
		await expect.poll(() => (db.engine as WorkerEngine).thread).toBeNull();
		// Not answered from memory: asked of the database, which is gone.
		await expect(userFromSession(token)).rejects.toMatchObject({ code: '57P02' });
	});
});

describe.skipIf(!inject('pg_url'))('on PostgreSQL', () => {
	it('keeps nothing: other processes write to the same database', async () => {
		const e = (await openPostgres('migrated'))!;
		try {
			expect(authCache(e.db)).toBeNull();
		} finally {
			await e.close();
		}
	});
});
