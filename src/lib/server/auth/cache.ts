/**
 * The embedded engine's session cache (issue 16 point 5). PGlite runs one call at a time, so
 * every request's session or token look-up — and /me's own call — used to wait for the map call
 * that was running (300–500 ms each under 20 map clients). This process keeps what those calls
 * answered and answers from memory, exactly as the database would have:
 *
 * - Changes: triggers on what the look-ups and me() read (users, credentials, sessions, tokens)
 *   NOTIFY terrain_auth (migration 20261216200000), and PGlite hands the notification to this
 *   thread before the reply of the call that committed it (same worker, same message port; in
 *   this thread, before the call's promise resolves). So once a sign-out, revocation, disabling
 *   or role change has answered, everything kept is forgotten and the next request asks the
 *   database. A worker that dies also makes it forget (a commit's notification may have died).
 * - Time: the look-ups say when the session or token expires and when it was last seen; the
 *   cache applies the same absolute and idle expiry, and the same once-a-minute activity rule,
 *   and writes that activity in batches (private.auth_touch) in the fast lane, ahead of any later
 *   look-up in the database, so the database never sees a session as idler than it is.
 * - Need-to-know: an answer is kept under the session's or token's digest, and me() under the
 *   user it was asked for, and only ever given back for that same session, token or user.
 *
 * Only on the embedded engine, where this process is the only writer: the data directory is
 * locked, and the CLI beside a running server sends its commands to that server (db/lock.ts,
 * cli/remote.ts), whose calls fire the same triggers. On PostgreSQL other processes write too
 * (more app processes, psql), and calls run in parallel there, so nothing is kept.
 * TERRAIN_AUTH_CACHE=off turns it off (scripts/bench-fairness.ts measures what it buys).
 */
import { withRequest } from '../db/context.ts';
import type { PgliteAdapter } from '../db/pglite.ts';
import type { Adapter, CallerUser } from '../db/types.ts';

export const AUTH_CHANNEL = 'terrain_auth';

/** What private.session_user / private.token_user answer: the user, and until when it holds. */
export type Lookup = CallerUser & {
	expires_at?: string;
	last_seen_at?: string;
	last_used_at?: string | null;
	[k: string]: unknown;
};

export type Credential = 'session' | 'token';

interface Kept {
	user: CallerUser;
	expiresAt: number;
	/** last_seen_at (session) or last_used_at (token) as the database has it, or will once touched. */
	seenAt: number;
}

/** The caller as the app sees it: without the look-up's own bookkeeping. */
export function callerOf(r: Lookup): CallerUser {
	const { expires_at: _e, last_seen_at: _s, last_used_at: _u, ...user } = r;
	return user as CallerUser;
}

const MINUTE = 60_000;
/** Beyond this many live sessions (or tokens, or users) kept, start again: memory stays bounded. */
const MAX_KEPT = 10_000;

export class AuthCache {
	private generation = 0;
	private listening = false;
	private readonly kept: Record<Credential, Map<string, Kept>> = {
		session: new Map(),
		token: new Map()
	};
	private readonly profiles = new Map<string, unknown>();
	private seen: Record<Credential, Record<string, string>> = { session: {}, token: {} };
	private idleSeconds = 8 * 3600;
	private flushTimer: ReturnType<typeof setTimeout> | null = null;
	/** Answers given from memory (tests, bench). */
	hits = 0;
	/** Settles once it listens (tests). */
	listening$: Promise<void> = Promise.resolve();

	constructor(private readonly db: PgliteAdapter) {
		db.onEngineStop(() => this.forget());
	}

	/** Starts listening; until that is done nothing is kept (a change could go unheard). */
	async start(): Promise<void> {
		await this.db.listen(AUTH_CHANNEL, () => this.forget());
		this.listening = true;
	}

	/** Something a look-up read has changed: keep nothing from before. */
	forget(): void {
		this.generation++;
		this.kept.session.clear();
		this.kept.token.clear();
		this.profiles.clear();
	}

	/**
	 * The user behind a session or token digest: from memory when it is known and still live,
	 * otherwise from `lookup` (the database), kept when no change was heard meanwhile.
	 */
	async user(
		kind: Credential,
		hash: string,
		idleSeconds: number,
		lookup: () => Promise<Lookup | null>
	): Promise<CallerUser | null> {
		const now = Date.now();
		const idleMs = idleSeconds * 1000;
		if (kind === 'session') this.idleSeconds = idleSeconds;
		const k = this.kept[kind].get(hash);
		if (k) {
			const live = now < k.expiresAt && (kind === 'token' || k.seenAt > now - idleMs);
			if (live) {
				// The database's rule: activity is written at most once a minute (or a tenth of the
				// idle time) — here into the next batch.
				const every = kind === 'session' ? Math.min(MINUTE, idleMs / 10) : MINUTE;
				if (k.seenAt < now - every) {
					k.seenAt = now;
					this.seen[kind][hash] = new Date(now).toISOString();
					this.flushSoon();
				}
				this.hits++;
				return { ...k.user };
			}
			this.kept[kind].delete(hash);
		}
		// Activity seen so far goes to the database first (same lane, in order), so the look-up
		// judges idleness on it.
		this.flush();
		const ticket = this.listening ? this.generation : null;
		const r = await lookup();
		if (!r) return null;
		const user = callerOf(r);
		const seen = kind === 'session' ? r.last_seen_at : r.last_used_at;
		const expiresAt = Date.parse(r.expires_at ?? '');
		if (ticket !== null && ticket === this.generation && Number.isFinite(expiresAt)) {
			if (this.kept[kind].size >= MAX_KEPT) this.kept[kind].clear();
			this.kept[kind].set(hash, {
				user: { ...user },
				expiresAt,
				seenAt: seen ? Date.parse(seen) : -Infinity
			});
		}
		return user;
	}

	/** me(): the user's own profile, kept per user until something about users changes. */
	async profile<T>(userId: string, load: () => Promise<T>): Promise<T> {
		if (this.profiles.has(userId)) {
			this.hits++;
			return structuredClone(this.profiles.get(userId)) as T;
		}
		const ticket = this.listening ? this.generation : null;
		const p = await load();
		if (ticket !== null && ticket === this.generation && p) {
			if (this.profiles.size >= MAX_KEPT) this.profiles.clear();
			this.profiles.set(userId, structuredClone(p));
		}
		return p;
	}

	private flushSoon(): void {
		this.flushTimer ??= setTimeout(() => this.flush(), 1000);
		this.flushTimer.unref?.();
	}

	/** Writes the activity seen from memory (one call, in the fast lane; nobody waits for it). */
	flush(): void {
		if (this.flushTimer) clearTimeout(this.flushTimer);
		this.flushTimer = null;
		const { session, token } = this.seen;
		if (!Object.keys(session).length && !Object.keys(token).length) return;
		this.seen = { session: {}, token: {} };
		// Outside the request that happened to trigger it: its client leaving must not drop it.
		withRequest({}, () =>
			this.db.rpc(
				'private.auth_touch',
				{ p_seen: { sessions: session, tokens: token }, p_idle_seconds: this.idleSeconds },
				'service'
			)
		).catch((e: unknown) =>
			console.error(
				`${new Date().toISOString()} terrain: could not record session activity: ${(e as Error).message}`
			)
		);
	}
}

const caches = new WeakMap<Adapter, AuthCache | null>();

/** The cache for `db`, or null where none is kept (see above). */
export function authCache(db: Adapter): AuthCache | null {
	if (caches.has(db)) return caches.get(db)!;
	let cache: AuthCache | null = null;
	if (db.kind === 'embedded' && process.env.TERRAIN_AUTH_CACHE !== 'off') {
		cache = new AuthCache(db as PgliteAdapter);
		cache.listening$ = cache.start().catch((e: unknown) => {
			// Not listening: it keeps nothing, every look-up asks the database.
			console.error(
				`${new Date().toISOString()} terrain: the session cache is off (${(e as Error).message})`
			);
		});
	}
	caches.set(db, cache);
	return cache;
}
