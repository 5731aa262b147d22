import { generatePassword, hashPassword, passwordProblem } from '../lib/server/auth/password.ts';
import { digest, displayPrefix, newSecret } from '../lib/server/auth/tokens.ts';
import { APP_ROLES, DbError, type Adapter, type AppRole } from '../lib/server/db/types.ts';
import { CliError } from './errors.ts';
import { PCODE } from '../lib/domain/codes.ts';

export interface AreaRow {
	pcode: string;
	level: number;
	name_en: string;
	name_ar: string | null;
}

/** "IQG01, iqg01q02" → ['IQG01', 'IQG01Q02']; an empty value is no areas. */
export function parseAreas(raw: string, option = '--areas'): string[] {
	const codes = raw
		.split(',')
		.map((s) => s.trim().toUpperCase())
		.filter(Boolean);
	const bad = codes.find((c) => !PCODE.test(c));
	if (bad) throw new CliError(`${option}: "${bad}" is not a P-code (e.g. IQG01 or IQG01Q02)`);
	return [...new Set(codes)];
}

/** The areas of these P-codes, or a CliError naming the first unknown one; changes nothing. */
export async function checkAreas(
	db: Adapter,
	areas: string[],
	option = '--areas'
): Promise<AreaRow[]> {
	try {
		return await db.rpc<AreaRow[]>('private.areas_check', { p_areas: areas }, 'service');
	} catch (e) {
		if (e instanceof DbError && e.code === '22023')
			throw new CliError(`${option}: ${e.message.replace(/^areas: /, '')} (no area has this code)`);
		throw e;
	}
}

/** Replaces a user's areas; the P-codes must have been checked. */
export async function setAreas(
	db: Adapter,
	email: string,
	areas: string[],
	option = '--areas'
): Promise<{ email: string; role: AppRole; areas: AreaRow[] }> {
	try {
		return await db.rpc('private.account_set_areas', { p_email: email, p_areas: areas }, 'service');
	} catch (e) {
		if (e instanceof DbError && e.code === 'P0002')
			throw new CliError(`no user with email ${email.trim().toLowerCase()}`);
		if (e instanceof DbError && e.code === '22023')
			throw new CliError(`${option}: ${e.message.replace(/^areas: /, '')} (no area has this code)`);
		throw e;
	}
}

/** "IQG01 Anbar, IQG01Q02 Falluja", or "none". */
export function describeAreas(areas: AreaRow[]): string {
	return areas.length ? areas.map((a) => `${a.pcode} ${a.name_en}`).join(', ') : 'none';
}

export async function addUser(
	db: Adapter,
	opts: { email?: string; role?: string; name?: string; password?: string; areas?: string }
): Promise<{
	email: string;
	role: AppRole;
	password: string;
	generated: boolean;
	areas: AreaRow[] | null;
}> {
	// Passwords generated here are shown on a terminal: the user must replace them at first sign-in.
	const email = (opts.email ?? '').trim().toLowerCase();
	if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new CliError('--email must be an email address');
	const role = (opts.role ?? '') as AppRole;
	if (!APP_ROLES.includes(role))
		throw new CliError(`--role must be one of ${APP_ROLES.join(', ')}`);
	const generated = !opts.password;
	const password = opts.password ?? generatePassword();
	const problem = passwordProblem(password);
	if (problem) throw new CliError('the password must have at least 12 characters');
	// Areas only narrow what field users see; every P-code is checked before anyone is created.
	const codes = opts.areas === undefined ? null : parseAreas(opts.areas);
	if (codes && role !== 'field')
		throw new CliError(
			'--areas is for field users (--role field): only their contacts are limited to areas'
		);
	if (codes) await checkAreas(db, codes);
	await db.rpc(
		'private.account_upsert',
		{
			p_email: email,
			p_role: role,
			p_display_name: opts.name ?? '',
			p_password_hash: await hashPassword(password)
		},
		'service'
	);
	if (generated) await db.rpc('private.account_require_change', { p_email: email }, 'service');
	const areas = codes ? (await setAreas(db, email, codes)).areas : null;
	return { email, role, password, generated, areas };
}

/** Creates the first admin if there is none; returns its one-time password, or null. */
export async function ensureAdmin(
	db: Adapter
): Promise<{ email: string; password: string; generated: boolean } | null> {
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

export async function createToken(
	db: Adapter,
	email: string,
	name: string
): Promise<{ token: string; id: string }> {
	const token = newSecret('trt');
	const row = await db.rpc<{ id: string }>(
		'private.token_create_for',
		{
			p_email: email,
			p_name: name,
			p_token_hash: digest(token),
			p_prefix: displayPrefix(token)
		},
		'service'
	);
	return { token, id: row.id };
}

/** `terrain user list`: one line per user — email, role, disabled, name. */
export async function listUsers(db: Adapter): Promise<string[]> {
	const users = await db.rpc<
		{ email: string; role: string; disabled: boolean; display_name: string }[]
	>('users_list', {}, 'service');
	return users.map((u) =>
		[u.email, u.role, u.disabled ? 'disabled' : 'active', u.display_name].filter(Boolean).join('\t')
	);
}
