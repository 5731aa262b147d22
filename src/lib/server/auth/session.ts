import { getDb } from '../db/index.ts';
import type { CallerUser } from '../db/types.ts';
import { SupabaseAdapter } from '../db/supabase.ts';
import { authCache, callerOf, type Lookup } from './cache.ts';
import { sessionConfig } from './config.ts';
import { verifyPassword } from './password.ts';
import { digest, newSecret } from './tokens.ts';

export const SESSION_COOKIE = 'terrain_session';

export type SignInResult =
	| { ok: true; token: string; user: CallerUser; maxAge: number }
	| { ok: false; reason: 'failed' }
	/** Too many failures for this account or from this address: try again after retryAfter s. */
	| { ok: false; reason: 'locked'; retryAfter: number };

/**
 * Checks a password and opens a server-side session. Every failure looks the same to the caller
 * (unknown email, wrong password, disabled account) and costs the same KDF run. Before the check,
 * the attempt is counted in the database against the account and the client address
 * (private.signin_reserve, under a row lock): past the limit it is refused at once, without
 * checking anything, until the lock-out ends.
 */
export async function signIn(
	email: string,
	password: string,
	clientAddress: string,
	userAgent: string
): Promise<SignInResult> {
	const db = await getDb();
	const normalised = email.trim().toLowerCase();
	if (db instanceof SupabaseAdapter) return signInSupabase(db, normalised, password);

	const keys = { p_account: normalised, p_address: clientAddress };
	const gate = await db.rpc<{ ok: boolean; retry_after?: number }>(
		'private.signin_reserve',
		keys,
		'service'
	);
	if (!gate.ok) return { ok: false, reason: 'locked', retryAfter: gate.retry_after ?? 1 };

	const creds = await db.rpc<{
		id: string;
		email: string;
		role: CallerUser['role'];
		disabled: boolean;
		password_hash: string | null;
	} | null>('private.account_credentials', { p_email: normalised }, 'service');
	const good = await verifyPassword(password, creds?.password_hash);
	const success = !!creds && good && !creds.disabled;
	await db.rpc(
		'private.signin_finish',
		{ ...keys, p_success: success, p_user_id: creds?.id ?? null },
		'service'
	);
	if (!creds || !success) return { ok: false, reason: 'failed' };
	const token = newSecret('trs');
	const { absoluteSeconds } = sessionConfig();
	await db.rpc(
		'private.session_create',
		{
			p_user_id: creds.id,
			p_token_hash: digest(token),
			p_ttl_seconds: absoluteSeconds,
			p_user_agent: userAgent,
			p_address: clientAddress
		},
		'service'
	);
	return {
		ok: true,
		token,
		user: { id: creds.id, email: creds.email, role: creds.role },
		maxAge: absoluteSeconds
	};
}

async function signInSupabase(
	db: SupabaseAdapter,
	email: string,
	password: string
): Promise<SignInResult> {
	const { data, error } = await db.client('anon').auth.signInWithPassword({ email, password });
	if (error || !data.session) return { ok: false, reason: 'failed' };
	const user = await supabaseUser(db, data.session.access_token);
	return user
		? { ok: true, token: data.session.access_token, user, maxAge: sessionConfig().absoluteSeconds }
		: { ok: false, reason: 'failed' };
}

async function supabaseUser(db: SupabaseAdapter, accessToken: string): Promise<CallerUser | null> {
	const { data, error } = await db.client('anon').auth.getUser(accessToken);
	if (error || !data.user) return null;
	const me = await db.rpc<{
		id: string;
		email: string;
		role: CallerUser['role'];
		disabled: boolean;
	} | null>(
		'me',
		{},
		{ id: data.user.id, email: data.user.email ?? '', role: 'viewer', accessToken }
	);
	if (!me || me.disabled) return null;
	return { id: me.id, email: me.email, role: me.role, accessToken };
}

/** The user behind a session cookie, or null (expired, idle too long, revoked, disabled, unknown). */
export async function userFromSession(token: string): Promise<CallerUser | null> {
	const db = await getDb();
	if (db instanceof SupabaseAdapter) return supabaseUser(db, token);
	const hash = digest(token);
	const { idleSeconds } = sessionConfig();
	const lookup = () =>
		db.rpc<Lookup | null>(
			'private.session_user',
			{ p_token_hash: hash, p_idle_seconds: idleSeconds },
			'service'
		);
	const cache = authCache(db);
	if (cache) return cache.user('session', hash, idleSeconds, lookup);
	const r = await lookup();
	return r && callerOf(r);
}

/** The user behind a personal API token (Authorization: Bearer), or null. */
export async function userFromApiToken(token: string): Promise<CallerUser | null> {
	const db = await getDb();
	if (db instanceof SupabaseAdapter) return supabaseUser(db, token);
	const hash = digest(token);
	const lookup = () =>
		db.rpc<Lookup | null>('private.token_user', { p_token_hash: hash }, 'service');
	const cache = authCache(db);
	if (cache) return cache.user('token', hash, sessionConfig().idleSeconds, lookup);
	const r = await lookup();
	return r && callerOf(r);
}

export async function signOut(token: string): Promise<void> {
	const db = await getDb();
	if (db instanceof SupabaseAdapter) return;
	await db.rpc('private.session_revoke', { p_token_hash: digest(token) }, 'service');
}
