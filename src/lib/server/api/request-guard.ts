/**
 * Request hygiene before any route runs (called from hooks.server.ts):
 * - a body over its endpoint's limit is answered 413 — before it is read when Content-Length says
 *   so, else while reading it (chunked uploads are buffered up to the limit, never further);
 * - a page form action posted as anything but a form (text/plain, JSON) gets 415, where
 *   SvelteKit would let it through to `request.formData()` and answer 500.
 * Import uploads are exempt from the body limit: they have their own (see limits.ts).
 */
import type { RequestEvent } from '@sveltejs/kit';
import { bodyLimitBytes, isImportUpload } from './limits.ts';

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

function problem(status: number, message: string, html: boolean): Response {
	return html
		? new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } })
		: new Response(JSON.stringify({ message }), {
				status,
				headers: { 'content-type': 'application/json' }
			});
}

/**
 * An answer given without reading the body must close the connection: SvelteKit's node adapter
 * has paused the request stream, so the unread rest would stay in the socket and the client's next
 * request on that kept-alive connection would hang until the server's keep-alive timeout reset it
 * (what the e2e suite saw as ECONNRESET on the request AFTER a 413).
 */
function unread(r: Response): Response {
	r.headers.set('connection', 'close');
	return r;
}

function tooLarge(limit: number, html: boolean): Response {
	const kb = Math.round(limit / 1024);
	return unread(
		problem(413, `the request body is larger than this endpoint accepts (${kb} KB)`, html)
	);
}

/** A Response to send instead of running the route, or null to go on. */
export async function guardRequest(event: RequestEvent): Promise<Response | null> {
	const { request, url } = event;
	if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return null;
	const api = url.pathname.startsWith('/api/');
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();

	// Page endpoints take form posts only (SvelteKit's actions; /import/upload streams a file).
	if (
		!api &&
		!isImportUpload(url.pathname) &&
		request.method === 'POST' &&
		!FORM_TYPES.includes(type)
	) {
		return unread(problem(415, `forms must be posted as ${FORM_TYPES.join(' or ')}`, true));
	}
	if (isImportUpload(url.pathname)) return null;

	const limit = bodyLimitBytes();
	const length = request.headers.get('content-length');
	if (length !== null) return Number(length) > limit ? tooLarge(limit, !api) : null;

	// No Content-Length (chunked): read at most limit + 1 bytes, then hand the route the buffer.
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > limit) {
			// Not reader.cancel(): that destroys the socket before the 413 is written and the client
			// sees only a reset. The answer closes the connection (see unread()).
			reader.releaseLock();
			return tooLarge(limit, !api);
		}
		chunks.push(value);
	}
	const body = new Uint8Array(size);
	let at = 0;
	for (const c of chunks) {
		body.set(c, at);
		at += c.byteLength;
	}
	event.request = new Request(request.url, {
		method: request.method,
		headers: request.headers,
		body,
		signal: request.signal
	});
	return null;
}
