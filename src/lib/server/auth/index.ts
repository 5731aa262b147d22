/**
 * Accounts, server side: the verbs over the user and API token SQL functions, shared by the
 * account and admin pages, /api/v1/{me,tokens,users,contacts/scope} and (through the same SQL)
 * the CLI. Each runs as the given user: the SQL functions check roles, RLS decides what is seen.
 * Input rules for new users and token names are in ./accounts.ts.
 */
import { getDb, rpc, type CallerUser } from '../db/index.ts';
import { FilterError } from '../../domain/filters.ts';
import { APP_ROLES, type AppRole } from '../db/types.ts';
import { authCache } from './cache.ts';
import { TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS } from './config.ts';
import { digest, displayPrefix, newSecret } from './tokens.ts';

/** A user as me() and users_list() return them. */
export interface UserRow {
	id: string;
	email: string;
	display_name: string;
	role: CallerUser['role'];
	disabled: boolean;
	created_at: string;
	assigned_areas: string[];
}

/** A personal API token as tokens_mine() lists it (never the secret). */
export interface TokenRow {
	id: string;
	name: string;
	prefix: string;
	created_at: string;
	last_used_at: string | null;
	revoked_at: string | null;
	expires_at: string;
}

/** The caller's own profile (from memory on the embedded engine until a user changes: ./cache.ts). */
export async function me<T = UserRow>(user: CallerUser): Promise<T> {
	const cache = authCache(await getDb());
	const load = () => rpc<T>('me', {}, user);
	return cache ? cache.profile(user.id, load) : load();
}

export function tokensMine(user: CallerUser) {
	return rpc<TokenRow[]>('tokens_mine', {}, user);
}

export function revokeToken(user: CallerUser, id: string) {
	return rpc('token_revoke', { p_id: id }, user);
}

export function listUsers(user: CallerUser) {
	return rpc<UserRow[]>('users_list', {}, user);
}

/** Disables a user and ends their sessions and API tokens (admins; not themselves). */
export function disableUser(user: CallerUser, id: string) {
	return rpc<UserRow>('user_disable', { p_user_id: id }, user);
}

/** Replaces a field user's areas (P-codes, already checked). */
export function setAreas(user: CallerUser, id: string, areas: string[]) {
	return rpc<{ email: string }>('user_set_areas', { p_user_id: id, p_areas: areas }, user);
}

export interface CreatedToken {
	id: string;
	name: string;
	prefix: string;
	expires_at: string;
	/** The secret: in this answer and nowhere else, ever. */
	token: string;
}

/** Days a new token lives: a whole number from 1 to 366; absent or empty = the default (90). */
export function tokenDays(raw: unknown): number {
	if (raw === undefined || raw === null || raw === '') return TOKEN_DEFAULT_DAYS;
	const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
	if (!Number.isInteger(n) || n < 1 || n > TOKEN_MAX_DAYS)
		throw new FilterError('expires_in_days', `a whole number of days from 1 to ${TOKEN_MAX_DAYS}`);
	return n;
}

/** A new personal token for the caller; only its digest and a display prefix are stored. */
export async function createToken(
	user: CallerUser,
	name: string,
	days: number = TOKEN_DEFAULT_DAYS
): Promise<CreatedToken> {
	const secret = newSecret('trt');
	const created = await rpc<Omit<CreatedToken, 'token'>>(
		'token_create',
		{
			p_name: name,
			p_token_hash: digest(secret),
			p_prefix: displayPrefix(secret),
			p_expires_days: days
		},
		user
	);
	return { ...created, token: secret };
}

/** Revokes every live token of the caller, or (admins) of another user. */
export function revokeAllTokens(
	user: CallerUser,
	userId?: string
): Promise<{ user_id: string; revoked: number }> {
	return rpc('tokens_revoke_all', { p_user_id: userId ?? null }, user);
}

export interface UserPatch {
	role?: AppRole;
	disabled?: boolean;
}

/** {"role": …, "disabled": …} with merge semantics: absent fields stay as they are. */
export function checkUserPatch(body: Record<string, unknown>): UserPatch {
	const patch: UserPatch = {};
	if (body.role !== undefined) {
		if (typeof body.role !== 'string' || !APP_ROLES.includes(body.role as AppRole))
			throw new FilterError('role', `one of ${APP_ROLES.join(', ')}`);
		patch.role = body.role as AppRole;
	}
	if (body.disabled !== undefined) {
		if (typeof body.disabled !== 'boolean') throw new FilterError('disabled', 'true or false');
		patch.disabled = body.disabled;
	}
	return patch;
}

/** An admin changes a user's role and/or enables or disables them (audited with the admin). */
export function updateUser(
	admin: CallerUser,
	id: string,
	patch: UserPatch
): Promise<Record<string, unknown>> {
	return rpc(
		'user_update',
		{ p_user_id: id, p_role: patch.role ?? null, p_disabled: patch.disabled ?? null },
		admin
	);
}
