import { getDb } from '../db/index.ts';
import type { CallerUser } from '../db/types.ts';
import { SupabaseAdapter } from '../db/supabase.ts';
import { verifyPassword } from './password.ts';
import { digest, newSecret, throttleDelay } from './tokens.ts';

export const SESSION_COOKIE = 'terrain_session';
/** A working day and a half: staff sign in once a day; a lost laptop's session dies by itself. */
export const SESSION_TTL_SECONDS = 36 * 3600;

const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

export type SignInResult = { ok: true; token: string; user: CallerUser } | { ok: false };

/**
 * Checks a password and opens a server-side session. Every failure looks the same to the caller
 * (unknown email, wrong password, disabled account) and repeated failures for an email or a
 * client address are answered more and more slowly.
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

	const keys = [`email:${normalised}`, `ip:${clientAddress}`];
	const counts = await Promise.all(
		keys.map((k) =>
			db.rpc<number>('private.login_attempt', { p_key: k, p_failed: false }, 'service')
		)
	);
	await sleep(throttleDelay(Math.max(...counts)));

	const creds = await db.rpc<{
		id: string;
		email: string;
		role: CallerUser['role'];
		disabled: boolean;
		password_hash: string | null;
	} | null>('private.account_credentials', { p_email: normalised }, 'service');
	const good = await verifyPassword(password, creds?.password_hash);
	if (!creds || !good || creds.disabled) {
		for (const k of keys)
			await db.rpc('private.login_attempt', { p_key: k, p_failed: true }, 'service');
		return { ok: false };
	}
	for (const k of keys) await db.rpc('private.login_succeeded', { p_key: k }, 'service');
	const token = newSecret('trs');
	await db.rpc(
		'private.session_create',
		{
			p_user_id: creds.id,
			p_token_hash: digest(token),
			p_ttl_seconds: SESSION_TTL_SECONDS,
			p_user_agent: userAgent
		},
		'service'
	);
	return { ok: true, token, user: { id: creds.id, email: creds.email, role: creds.role } };
}

async function signInSupabase(
	db: SupabaseAdapter,
	email: string,
	password: string
): Promise<SignInResult> {
	const { data, error } = await db.client('anon').auth.signInWithPassword({ email, password });
	if (error || !data.session) return { ok: false };
	const user = await supabaseUser(db, data.session.access_token);
	return user ? { ok: true, token: data.session.access_token, user } : { ok: false };
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

/** The user behind a session cookie, or null (expired, revoked, disabled, unknown). */
export async function userFromSession(token: string): Promise<CallerUser | null> {
	const db = await getDb();
	if (db instanceof SupabaseAdapter) return supabaseUser(db, token);
	return db.rpc<CallerUser | null>(
		'private.session_user',
		{ p_token_hash: digest(token) },
		'service'
	);
}

/** The user behind a personal API token (Authorization: Bearer), or null. */
export async function userFromApiToken(token: string): Promise<CallerUser | null> {
	const db = await getDb();
	if (db instanceof SupabaseAdapter) return supabaseUser(db, token);
	return db.rpc<CallerUser | null>(
		'private.token_user',
		{ p_token_hash: digest(token) },
		'service'
	);
}

export async function signOut(token: string): Promise<void> {
	const db = await getDb();
	if (db instanceof SupabaseAdapter) return;
	await db.rpc('private.session_revoke', { p_token_hash: digest(token) }, 'service');
}
