/**
 * Rules for what users send about accounts (a new user, a new API token), shared by the JSON API
 * and the admin/account pages so both refuse exactly the same input. Errors are message keys per
 * field: the pages show them translated next to the field, the API sends the English text.
 */
import { z } from 'zod';
import { APP_ROLES, type AppRole, type CallerUser } from '../db/types.ts';
import { getDb } from '../db/index.ts';
import { hashPassword, passwordProblem } from './password.ts';
import { digest, displayPrefix, newSecret } from './tokens.ts';
import { translator, type MessageKey } from '../../i18n/index.ts';
import { FilterError } from '../../domain/filters.ts';

export interface NewUser {
	email: string;
	role: AppRole;
	display_name: string;
	password: string;
}

export type FieldErrors<K extends string> = Partial<Record<K, MessageKey>>;
export type Checked<T, K extends string> =
	{ ok: true; value: T } | { ok: false; errors: FieldErrors<K> };

const email = z.email();
const str = (v: unknown) => (typeof v === 'string' ? v : '');

export function checkNewUser(input: Record<string, unknown>): Checked<NewUser, keyof NewUser> {
	const value: NewUser = {
		email: str(input.email).trim().toLowerCase(),
		role: str(input.role) as AppRole,
		display_name: str(input.display_name).trim(),
		password: str(input.password)
	};
	const errors: FieldErrors<keyof NewUser> = {};
	if (!email.safeParse(value.email).success || value.email.length > 254)
		errors.email = 'admin.users.invalid_email';
	if (!APP_ROLES.includes(value.role)) errors.role = 'admin.users.invalid_role';
	if (value.display_name.length > 200) errors.display_name = 'admin.users.name_too_long';
	const pw = passwordProblem(value.password);
	if (pw) errors.password = pw;
	return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value };
}

export function checkTokenName(input: unknown): Checked<string, 'name'> {
	const name = str(input).trim();
	if (!name) return { ok: false, errors: { name: 'account.token_name_missing' } };
	if (name.length > 100) return { ok: false, errors: { name: 'account.token_name_too_long' } };
	return { ok: true, value: name };
}

/** The first field error as the API's 400 (English text, the field as `parameter`). */
export function fieldError<K extends string>(errors: FieldErrors<K>): FilterError {
	const [field, key] = Object.entries(errors)[0] as [string, MessageKey];
	return new FilterError(field, translator('en')(key));
}

/**
 * A fresh personal API token: the secret the user sees once, and the token_create arguments
 * (only its digest and a display prefix are stored).
 */
export function newApiToken(name: string): {
	secret: string;
	args: { p_name: string; p_token_hash: string; p_prefix: string };
} {
	const secret = newSecret('trt');
	return {
		secret,
		args: { p_name: name, p_token_hash: digest(secret), p_prefix: displayPrefix(secret) }
	};
}

/**
 * Adds a local account as an admin. user_add checks the caller's role; the password an admin
 * chose for someone else is then marked as one to replace at first sign-in (the server's own
 * call: credentials are out of every user's reach). On Supabase, Supabase Auth owns passwords.
 */
export async function addUserAs(admin: CallerUser, u: NewUser): Promise<Record<string, unknown>> {
	const db = await getDb();
	const created = await db.rpc<Record<string, unknown>>(
		'user_add',
		{
			p_email: u.email,
			p_role: u.role,
			p_display_name: u.display_name,
			p_password_hash: await hashPassword(u.password)
		},
		admin
	);
	if (db.kind !== 'supabase')
		await db.rpc('private.account_require_change', { p_email: u.email }, 'service');
	return created;
}
