import { generatePassword, hashPassword, passwordProblem } from '../lib/server/auth/password.ts';
import { digest, displayPrefix, newSecret } from '../lib/server/auth/tokens.ts';
import { APP_ROLES, type Adapter, type AppRole } from '../lib/server/db/types.ts';
import { CliError } from './errors.ts';

export async function addUser(
	db: Adapter,
	opts: { email?: string; role?: string; name?: string; password?: string }
): Promise<{ email: string; role: AppRole; password: string; generated: boolean }> {
	// Passwords generated here are shown on a terminal: the user must replace them at first sign-in.
	const email = (opts.email ?? '').trim().toLowerCase();
	if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new CliError('--email must be an email address');
	const role = (opts.role ?? '') as AppRole;
	if (!APP_ROLES.includes(role)) throw new CliError(`--role must be one of ${APP_ROLES.join(', ')}`);
	const generated = !opts.password;
	const password = opts.password ?? generatePassword();
	const problem = passwordProblem(password);
	if (problem) throw new CliError('the password must have at least 12 characters');
	await db.rpc('private.account_upsert', {
		p_email: email,
		p_role: role,
		p_display_name: opts.name ?? '',
		p_password_hash: await hashPassword(password)
	}, 'service');
	if (generated) await db.rpc('private.account_require_change', { p_email: email }, 'service');
	return { email, role, password, generated };
}

/** Creates the first admin if there is none; returns its one-time password, or null. */
export async function ensureAdmin(db: Adapter): Promise<{ email: string; password: string; generated: boolean } | null> {
	const counts = await db.rpc<{ admins: number }>('private.account_count', {}, 'service');
	if (counts.admins > 0) return null;
	const r = await addUser(db, {
		email: process.env.TERRAIN_ADMIN_EMAIL || 'admin@terrain.local',
		role: 'admin',
		name: 'Administrator',
		password: process.env.TERRAIN_ADMIN_PASSWORD || undefined
	});
	return r;
}

export async function createToken(db: Adapter, email: string, name: string): Promise<{ token: string; id: string }> {
	const token = newSecret('trt');
	const row = await db.rpc<{ id: string }>('private.token_create_for', {
		p_email: email,
		p_name: name,
		p_token_hash: digest(token),
		p_prefix: displayPrefix(token)
	}, 'service');
	return { token, id: row.id };
}
