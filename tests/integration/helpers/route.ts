/**
 * Calls a SvelteKit route handler (a +server.ts export) directly, as the given caller, the way
 * hooks.server.ts would after authentication — the integration tests' way into the API without
 * an HTTP server. The body is whatever JSON.parse gives (tests read it field by field).
 */
import type { RequestEvent } from '@sveltejs/kit';
import type { CallerUser } from '../../../src/lib/server/db/types.ts';

type Handler = (event: RequestEvent) => Response | Promise<Response>;
type Parsed = ReturnType<typeof JSON.parse>;

export interface RouteAnswer<T> {
	status: number;
	type: string | null;
	text: string;
	headers: Headers;
	body: T;
}

export async function callRoute<T = Parsed>(
	handler: unknown,
	as: CallerUser | null,
	path: string,
	opts: { params?: Record<string, string>; method?: string; body?: unknown } = {}
): Promise<RouteAnswer<T>> {
	const url = new URL(path, 'http://terrain.test');
	const method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
	const request = new Request(url, {
		method,
		headers: { 'content-type': 'application/json' },
		body:
			opts.body === undefined
				? undefined
				: typeof opts.body === 'string'
					? opts.body
					: JSON.stringify(opts.body)
	});
	const event = {
		url,
		request,
		params: opts.params ?? {},
		locals: { user: as, authVia: as ? 'token' : null, locale: 'en' },
		route: { id: null }
	};
	const r = await (handler as Handler)(event as unknown as RequestEvent);
	const type = r.headers.get('content-type');
	const text = await r.text();
	return {
		status: r.status,
		type,
		text,
		headers: r.headers,
		body: type?.includes('json') ? JSON.parse(text) : null
	};
}
