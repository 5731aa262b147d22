export type AppRole = 'admin' | 'analyst' | 'field' | 'viewer';
export const APP_ROLES: readonly AppRole[] = ['admin', 'analyst', 'field', 'viewer'];

/** The user a call runs as. RLS policies see `id` as auth.uid(). */
export interface CallerUser {
	id: string;
	email: string;
	role: AppRole;
	display_name?: string;
	/** Signed in with a one-time password that must be replaced before anything else. */
	must_change?: boolean;
	/** Supabase mode: the user's access token, forwarded to PostgREST. */
	accessToken?: string;
}

/**
 * Who a database call runs as:
 * - a signed-in user: `set local role authenticated` + their claims, so RLS applies;
 * - 'anon': `set local role anon`, what an unauthenticated request may do (nothing, mostly);
 * - 'service': the Terrain server itself (sign-in, sessions, migrations, seeding); claims
 *   role = service_role, which the private.* functions require.
 */
export type Caller = CallerUser | 'anon' | 'service';

export type Args = Record<string, unknown>;

/** How one call runs (all optional). */
export interface CallOptions {
	/**
	 * A creating call made idempotent: the first answer is kept 24 h under (caller, key); a retry
	 * with the same key and arguments gets it back and creates nothing; other arguments → 422.
	 */
	idempotencyKey?: string;
	/** Cancels the call (defaults to the current request's signal, see context.ts). */
	signal?: AbortSignal;
}

export interface Adapter {
	readonly kind: 'embedded' | 'postgres' | 'supabase';
	/** Calls one SQL function by name with named arguments; returns its (jsonb) result. */
	rpc<T = unknown>(fn: string, args: Args, as: Caller, opts?: CallOptions): Promise<T>;
	/** Runs raw SQL as the database owner: migrations and bootstrap only. */
	execOwner(sql: string): Promise<void>;
	queryOwner<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
	close(): Promise<void>;
}

/** A database error carrying the SQLSTATE, so routes can answer 400/403/404 precisely. */
export class DbError extends Error {
	constructor(
		message: string,
		readonly code: string | undefined,
		readonly detail?: string
	) {
		super(message);
		this.name = 'DbError';
	}

	/**
	 * The CLI opens the database with this module from source, and the built app bundles its own
	 * copy of the class: recognise either by name so `instanceof` works across the two.
	 */
	static [Symbol.hasInstance](v: unknown): boolean {
		return typeof v === 'object' && v !== null && (v as Error).name === 'DbError' && 'code' in v;
	}

	/** The HTTP status this error should become at the API boundary. */
	get httpStatus(): number {
		const c = this.code ?? '';
		// PostgREST: an expired or invalid JWT is 401 (sign in again), not 403.
		if (c === 'PGRST301' || c === 'PGRST302') return 401;
		if (c === '42501') return 403;
		if (c === 'P0002') return 404;
		if (c === '23505') return 409;
		// An Idempotency-Key reused for another request (idempotency_begin).
		if (c === 'P0422') return 422;
		// Cancelled: the client went away, or the call ran past its statement timeout.
		if (c === '57014') return 503;
		// The embedded database's worker stopped (crash_shutdown); the next call reopens it.
		if (c.startsWith('57P')) return 503;
		// statement_too_complex / stack depth: input nested beyond what SQL accepts.
		if (c === '54001') return 400;
		if (c.startsWith('22') || c.startsWith('23') || c === 'P0001') return 400;
		return 500;
	}
}
