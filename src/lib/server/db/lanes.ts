/**
 * PGlite runs one call at a time. This queue decides which waiting call goes next: calls in the
 * fast lane (session and token look-ups, /me — see FAST_FUNCTIONS) go before any queued ordinary
 * call, so a cheap request never waits behind a queue of heavy ones, only behind the one call
 * already running. A queued call whose client has gone away is dropped before it starts.
 */
import { DbError } from './types.ts';

export type Lane = 'fast' | 'normal';

/** Cheap calls that every request (or a signed-in page's first paint) makes. */
export const FAST_FUNCTIONS: ReadonlySet<string> = new Set([
	'private.session_user',
	'private.token_user',
	'private.session_revoke',
	// The activity the session cache answered from memory (auth/cache.ts), ahead of any later look-up.
	'private.auth_touch',
	// Sign-in: the throttle's reservation, the credentials, the outcome and the new session.
	'private.signin_reserve',
	'private.account_credentials',
	'private.signin_finish',
	'private.session_create',
	'me'
]);

// TERRAIN_FAST_LANE=off puts every call in one lane: only for measuring what the lane buys
// (scripts/bench-fairness.ts).
export function laneOf(fn: string): Lane {
	if (process.env.TERRAIN_FAST_LANE === 'off') return 'normal';
	return FAST_FUNCTIONS.has(fn) ? 'fast' : 'normal';
}

/** SQLSTATE query_canceled: PostgreSQL's own code for a cancelled statement. */
export function canceled(why: string): DbError {
	return new DbError(why, '57014');
}

interface Job {
	lane: Lane;
	run: () => Promise<unknown>;
	resolve: (v: unknown) => void;
	reject: (e: unknown) => void;
	signal?: AbortSignal;
	onAbort?: () => void;
}

export class LaneQueue {
	private readonly lanes: Record<Lane, Job[]> = { fast: [], normal: [] };
	private busy = false;
	/** Calls dropped because their client went away before they started (tests, bench). */
	dropped = 0;

	push<T>(lane: Lane, run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
		if (signal?.aborted) {
			this.dropped++;
			return Promise.reject(canceled('the client went away before the call started'));
		}
		return new Promise<T>((resolve, reject) => {
			const job: Job = { lane, run, resolve: resolve as (v: unknown) => void, reject, signal };
			if (signal) {
				job.onAbort = () => {
					const q = this.lanes[lane];
					const i = q.indexOf(job);
					if (i < 0) return; // already running: it finishes (PGlite cannot interrupt it)
					q.splice(i, 1);
					this.dropped++;
					reject(canceled('the client went away before the call started'));
				};
				signal.addEventListener('abort', job.onAbort, { once: true });
			}
			this.lanes[lane].push(job);
			this.next();
		});
	}

	get waiting(): number {
		return this.lanes.fast.length + this.lanes.normal.length;
	}

	private next(): void {
		if (this.busy) return;
		const job = this.lanes.fast.shift() ?? this.lanes.normal.shift();
		if (!job) return;
		this.busy = true;
		if (job.onAbort) job.signal!.removeEventListener('abort', job.onAbort);
		job
			.run()
			.then(job.resolve, job.reject)
			.finally(() => {
				// After a fast call, wait one turn of the event loop before choosing the next: a
				// request's follow-up cheap call (the session look-up, then /me's own call) is made in
				// the promise continuations of the first, and so joins the fast lane before a queued
				// heavy call can start and make it wait a second time.
				if (job.lane === 'fast') setImmediate(() => this.idle());
				else this.idle();
			});
	}

	private idle(): void {
		this.busy = false;
		this.next();
	}
}
