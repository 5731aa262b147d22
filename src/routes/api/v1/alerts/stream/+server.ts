import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { getAlert } from '$lib/server/alerts';
import { liveHub } from '$lib/server/live';
import type { RequestHandler } from './$types';

/**
 * Server-sent events: `event: alert` with the alert as JSON, as soon as any process on the
 * database raises one the caller may see (LISTEN terrain_live; each alert is read as the caller,
 * so RLS decides). A comment every 20 s keeps proxies from closing the stream.
 */
export const GET: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals);
	const enc = new TextEncoder();
	let stop = () => {};
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			const send = (s: string) => {
				try {
					controller.enqueue(enc.encode(s));
				} catch {
					stop();
				}
			};
			send('retry: 3000\n: connected\n\n');
			const unsubscribe = liveHub().subscribe((m) => {
				if (m.kind !== 'alert' || typeof m.id !== 'string') return;
				getAlert(user, m.id).then(
					(a) => send(`event: alert\ndata: ${JSON.stringify(a)}\n\n`),
					() => {} // not for this user: RLS hid it
				);
			});
			const ping = setInterval(() => send(': ping\n\n'), 20_000);
			stop = () => {
				clearInterval(ping);
				unsubscribe();
			};
			request.signal.addEventListener('abort', () => {
				stop();
				try {
					controller.close();
				} catch {
					/* already closed */
				}
			});
		},
		cancel() {
			stop();
		}
	});
	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream',
			'cache-control': 'private, no-store',
			'x-accel-buffering': 'no'
		}
	});
});
