/**
 * Server-side helpers for the e2e tests: the test server global-setup started, its accounts, and
 * plain HTTP / CLI calls without a browser.
 *
 *   import { e2e, http, sessionCookie, runCli } from './helpers/server';
 *   const { baseUrl, users } = e2e();                      // what tests/e2e/global-setup.ts provided
 *   const cookie = await sessionCookie('viewer');          // 'terrain_session=…', for fetch()
 *   const r = await http('/api/v1/incidents', { cookie }); // fetch relative to baseUrl; redirects are
 *                                                          // NOT followed; non-GET sends our Origin
 *   const r = await http('/api/v1/me', { token });         // Authorization: Bearer <token>
 *   runCli / cli / tempDir: see ./cli.ts (re-exported here)
 *
 * Accounts: one per role, fixed emails and passwords, see ./accounts.ts.
 */
import { inject } from 'vitest';
import type { Credentials, Role } from './accounts.ts';

export { cli, runCli, tempDir, ROOT, type CliResult } from './cli.ts';

export { ROLES, USERS, type Credentials, type Role } from './accounts.ts';

export interface E2eContext {
	/** e.g. http://127.0.0.1:41234 (no trailing slash) */
	baseUrl: string;
	users: Record<Role, Credentials>;
	/** The server's TERRAIN_DATA_DIR ('' when TERRAIN_E2E_URL points at your own server). */
	dataDir: string;
	/** An API token made with `terrain token create --user <analyst>` before the server started. */
	cliToken: string;
}

export function e2e(): E2eContext {
	return {
		baseUrl: inject('e2eBaseUrl'),
		users: inject('e2eUsers'),
		dataDir: inject('e2eDataDir'),
		cliToken: inject('e2eCliToken')
	};
}

export interface HttpOptions extends Omit<RequestInit, 'headers' | 'body'> {
	/** A Cookie header value, e.g. from sessionCookie(). */
	cookie?: string;
	/** Sent as Authorization: Bearer <token>. */
	token?: string;
	/** An object is sent as JSON. */
	body?: unknown;
	/** Defaults to the server's own origin for non-GET requests (what our pages send); null: none. */
	origin?: string | null;
	headers?: Record<string, string>;
}

/** fetch() against the test server. Never follows redirects, so a 303 to /login stays visible. */
export async function http(path: string, o: HttpOptions = {}): Promise<Response> {
	const { baseUrl } = e2e();
	const { cookie, token, body, origin, headers = {}, ...init } = o;
	const method = (init.method ?? 'GET').toUpperCase();
	const h: Record<string, string> = { accept: 'application/json', ...headers };
	if (cookie) h.cookie = cookie;
	if (token) h.authorization = `Bearer ${token}`;
	const o2 =
		origin === undefined ? (method === 'GET' || method === 'HEAD' ? null : baseUrl) : origin;
	if (o2) h.origin = o2;
	let payload: BodyInit | undefined;
	if (body instanceof URLSearchParams || typeof body === 'string') payload = body;
	else if (body !== undefined) {
		payload = JSON.stringify(body);
		h['content-type'] ??= 'application/json';
	}
	return fetch(new URL(path, baseUrl), {
		...init,
		method,
		headers: h,
		body: payload,
		redirect: 'manual'
	});
}

/** Posts the sign-in form the way a browser does. 303 = signed in, 400 = refused. */
export async function postLogin(email: string, password: string): Promise<Response> {
	return http('/login', {
		method: 'POST',
		body: new URLSearchParams({ email, password }),
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }
	});
}

/**
 * Signs in without a browser and returns the Cookie header value ('terrain_session=…').
 * It does not clear 127.0.0.1's count of failed sign-ins (20 in 15 minutes lock the address out):
 * a test that fails sign-ins on purpose sends its own X-Forwarded-For (the test server trusts it).
 */
export async function sessionCookie(who: Role | Credentials): Promise<string> {
	const c = typeof who === 'string' ? e2e().users[who] : who;
	const r = await postLogin(c.email, c.password);
	const cookie = r.headers.getSetCookie().find((s) => s.startsWith('terrain_session='));
	if (r.status !== 303 || !cookie)
		throw new Error(`sign-in as ${c.email} failed: HTTP ${r.status}`);
	return cookie.split(';')[0];
}
