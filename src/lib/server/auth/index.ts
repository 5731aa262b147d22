/**
 * Accounts, server side: the verbs over the user and API token SQL functions, shared by the
 * account and admin pages, /api/v1/{me,tokens,users,contacts/scope} and (through the same SQL)
 * the CLI. Each runs as the given user: the SQL functions check roles, RLS decides what is seen.
 * Input rules for new users and token names are in ./accounts.ts.
 */
import { rpc, type CallerUser } from '../db/index.ts';
import { newApiToken } from './accounts.ts';

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
}

/** The caller's own profile. */
export function me<T = UserRow>(user: CallerUser) {
	return rpc<T>('me', {}, user);
}

export function tokensMine(user: CallerUser) {
	return rpc<TokenRow[]>('tokens_mine', {}, user);
}

/** A new token for the caller: the stored row and the secret, which exists only in this answer. */
export async function createToken(user: CallerUser, name: string) {
	const { secret, args } = newApiToken(name);
	const created = await rpc<{ id: string; name: string; prefix: string }>(
		'token_create',
		args,
		user
	);
	return { ...created, token: secret };
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
