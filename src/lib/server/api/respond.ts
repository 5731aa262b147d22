import { error, json, redirect } from '@sveltejs/kit';
import type { AppRole, CallerUser } from '../db/types.ts';
import { DbError } from '../db/types.ts';

/** The signed-in user, or a 401; with roles, a 403 for anyone else. */
export function requireUser(locals: App.Locals, roles?: readonly AppRole[]): CallerUser {
	if (!locals.user) error(401, { message: 'sign in or send Authorization: Bearer <token>' });
	if (roles && !roles.includes(locals.user.role)) {
		error(403, { message: `this needs one of the roles: ${roles.join(', ')}` });
	}
	return locals.user;
}

/**
 * The signed-in user of a page's load or action, or a redirect to the sign-in page. The (app)
 * layout redirects too, but SvelteKit runs a page's load alongside the layout's, so each page
 * must not assume a user (an anonymous hit used to log a TypeError).
 */
export function signedIn(locals: App.Locals, url: URL): CallerUser {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	return locals.user;
}

/**
 * Whether e is a DbError. Not `instanceof` alone: under `terrain serve` the database is opened by
 * the CLI (src/lib/server/db run by tsx) and the built app has its own bundled copy of the class,
 * so errors from the shared adapter are instances of the other DbError.
 */
export function isDbError(e: unknown): e is DbError {
	return (
		e instanceof DbError ||
		(e instanceof Error && e.name === 'DbError' && 'code' in e && 'httpStatus' in e)
	);
}

/** Turns a database error into the HTTP answer it deserves (400/403/404/409), else rethrows. */
export function dbFailure(e: unknown): never {
	if (isDbError(e)) {
		const status = e.httpStatus;
		// 503: cancelled or over its statement timeout — a known condition, not a server fault.
		if (status < 500 || status === 503) error(status, { message: e.message });
	}
	throw e;
}

export function geojson(body: unknown, init?: ResponseInit): Response {
	return json(body, {
		...init,
		headers: { 'content-type': 'application/geo+json', ...(init?.headers ?? {}) }
	});
}
