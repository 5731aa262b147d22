import { error, json } from '@sveltejs/kit';
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
		if (status < 500) error(status, { message: e.message });
	}
	throw e;
}

export function geojson(body: unknown, init?: ResponseInit): Response {
	return json(body, {
		...init,
		headers: { 'content-type': 'application/geo+json', ...(init?.headers ?? {}) }
	});
}
