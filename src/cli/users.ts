import { hostname, userInfo } from 'node:os';
import { generatePassword, hashPassword, passwordProblem } from '../lib/server/auth/password.ts';
import { digest, displayPrefix, newSecret } from '../lib/server/auth/tokens.ts';
import { APP_ROLES, DbError, type Adapter, type AppRole } from '../lib/server/db/types.ts';
import { CliError } from './errors.ts';
import { PCODE } from '../lib/domain/codes.ts';
import { TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS } from '../lib/server/auth/config.ts';

/** --days: a whole number of days from 1 to 366 (default 90). */
export function parseDays(raw: string | undefined): number {
	if (raw === undefined) return TOKEN_DEFAULT_DAYS;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 1 || n > TOKEN_MAX_DAYS)
		throw new CliError(`--days must be a whole number from 1 to ${TOKEN_MAX_DAYS}`);
	return n;
}

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

/**
 * Who runs this command, for the audit log: TERRAIN_OPERATOR if set, else the OS account and host
 * (e.g. "ops@field-server-1"). The CLI acts as this local operator, not as a Terrain user.
 */
export function operatorName(env: NodeJS.ProcessEnv = process.env): string {
	const set = env.TERRAIN_OPERATOR?.trim();
	if (set) return set.slice(0, 200);
	let user = 'unknown';
	try {
		user = userInfo().username;
	} catch {
		// no passwd entry (some containers): keep "unknown"
	}
	return `${user}@${hostname()}`;
}

function checkRole(raw: string | undefined, option = '--role'): AppRole {
	const role = (raw ?? '') as AppRole;
	if (!APP_ROLES.includes(role))
		throw new CliError(`${option} must be one of ${APP_ROLES.join(', ')}`);
	return role;
}

/** A user command's email, or a CliError naming the usage. */
function needEmail(email: string | undefined, usage: string): string {
	if (!email) throw new CliError(`give the user's email: ${usage}`);
	return email.trim().toLowerCase();
}

type UserRow = { email: string; role: AppRole; disabled: boolean };

async function updateAccount(
	db: Adapter,
	email: string,
	change: { role?: AppRole; disabled?: boolean }
): Promise<UserRow> {
	try {
		return await db.rpc<UserRow>(
			'private.account_update',
			{
				p_email: email,
				p_role: change.role ?? null,
				p_disabled: change.disabled ?? null,
				p_operator: operatorName()
			},
			'service'
		);
	} catch (e) {
		if (e instanceof DbError && e.code === 'P0002')
			throw new CliError(`no user with email ${email}`);
		throw e;
	}
}

/** `terrain user enable EMAIL`: a disabled user may sign in again (their old tokens stay revoked). */
export async function enableUser(db: Adapter, email: string | undefined): Promise<UserRow> {
	return updateAccount(db, needEmail(email, 'terrain user enable EMAIL'), { disabled: false });
}

/** `terrain user disable EMAIL`: ends their sessions and API tokens. */
export async function disableUser(db: Adapter, email: string | undefined): Promise<UserRow> {
	return updateAccount(db, needEmail(email, 'terrain user disable EMAIL'), { disabled: true });
}

/** `terrain user role EMAIL --role R`. */
export async function setRole(
	db: Adapter,
	email: string | undefined,
	role: string | undefined
): Promise<UserRow> {
	const e = needEmail(email, 'terrain user role EMAIL --role R');
	return updateAccount(db, e, { role: checkRole(role) });
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
	const role = checkRole(opts.role);
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
	// Creates, never updates: re-enabling and role changes are their own, audited commands.
	try {
		await db.rpc(
			'private.account_create',
			{
				p_email: email,
				p_role: role,
				p_display_name: opts.name ?? '',
				p_password_hash: await hashPassword(password),
				p_operator: operatorName()
			},
			'service'
		);
	} catch (e) {
		if (e instanceof DbError && e.code === '23505')
			throw new CliError(
				`user ${email} already exists; nothing changed (use \`terrain user enable\` or \`terrain user role\`)`
			);
		throw e;
	}
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
	try {
		return await addUser(db, {
			email: process.env.TERRAIN_ADMIN_EMAIL || 'admin@terrain.local',
			role: 'admin',
			name: 'Administrator',
			password: process.env.TERRAIN_ADMIN_PASSWORD || undefined
		});
	} catch (e) {
		// The first admin's email is taken by a disabled or demoted account: say so, change nothing.
		if (!(e instanceof CliError)) throw e;
		console.error(
			`terrain: no active admin, and ${e.message}; e.g. \`terrain user role EMAIL --role admin\``
		);
		return null;
	}
}

export async function createToken(
	db: Adapter,
	email: string,
	name: string,
	days: number = TOKEN_DEFAULT_DAYS
): Promise<{ token: string; id: string; expires_at: string }> {
	const token = newSecret('trt');
	const row = await db.rpc<{ id: string; expires_at: string }>(
		'private.token_create_for',
		{
			p_email: email,
			p_name: name,
			p_token_hash: digest(token),
			p_prefix: displayPrefix(token),
			p_expires_days: days,
			p_operator: operatorName()
		},
		'service'
	);
	return { token, id: row.id, expires_at: row.expires_at };
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
