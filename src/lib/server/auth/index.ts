/**
 * The account verbs that pages, API routes and (through their own SQL) the CLI share: API tokens
 * with an expiry, bulk revocation, and an admin's changes to a user (role, enabled). Each SQL
 * function behind them checks the caller and writes its 'auth.*' audit row.
 */
import { rpc, type AppRole, type CallerUser } from '../db/index.ts';
import { FilterError } from '../../domain/filters.ts';
import { APP_ROLES } from '../db/types.ts';
import { TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS } from './config.ts';
import { digest, displayPrefix, newSecret } from './tokens.ts';

export interface TokenRow {
	id: string;
	name: string;
	prefix: string;
	created_at: string;
	last_used_at: string | null;
	revoked_at: string | null;
	expires_at: string;
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

export function myTokens(user: CallerUser): Promise<TokenRow[]> {
	return rpc<TokenRow[]>('tokens_mine', {}, user);
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

/** Revokes one token (the caller's own; an admin's, anyone's). DbError P0002 when there is none. */
export function revokeToken(user: CallerUser, id: string): Promise<{ id: string; revoked: true }> {
	return rpc('token_revoke', { p_id: id }, user);
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
