/**
 * The frame of every /api/v1 handler. A script calling the API must get JSON back whatever its
 * Accept header says (SvelteKit answers a thrown error() with an HTML page when the client
 * prefers HTML), so errors are turned into JSON responses here:
 *   FilterError            → 400 {message, parameter}
 *   error(status, body)    → status, body  (requireUser's 401/403, dbFailure's 400/403/404/409)
 *   DbError                → through dbFailure; a 5xx DbError is logged and answered 500
 */
import { isHttpError, isRedirect, json } from '@sveltejs/kit';
import { FilterError } from '../../domain/filters.ts';
import { dbFailure, isDbError } from './respond.ts';

// `(event: never) => …` accepts every route's handler, whatever its params and route id.
export function apiRoute<H extends (event: never) => Response | Promise<Response>>(fn: H): H {
	return (async (event: Parameters<H>[0]) => {
		try {
			return await fn(event);
		} catch (e) {
			return errorResponse(e);
		}
	}) as H;
}

export function errorResponse(e: unknown): Response {
	if (isRedirect(e)) throw e;
	if (e instanceof FilterError) {
		return json({ message: e.message, parameter: e.parameter }, { status: 400 });
	}
	if (isDbError(e)) {
		try {
			dbFailure(e);
		} catch (mapped) {
			if (isHttpError(mapped)) return json(mapped.body, { status: mapped.status });
		}
		console.error(e);
		return json({ message: 'Internal error' }, { status: 500 });
	}
	if (isHttpError(e)) {
		const headers: Record<string, string> =
			e.status === 401 ? { 'www-authenticate': 'Bearer' } : {};
		return json(e.body, { status: e.status, headers });
	}
	console.error(e);
	return json({ message: 'Internal error' }, { status: 500 });
}
