/**
 * A server-sent events response fed by the live hub (LISTEN terrain_live): `pick` turns each
 * notification into zero or more events for this subscriber, read as that user so RLS decides
 * what is sent. A comment every 20 s keeps proxies from closing the stream; the subscription ends
 * when the browser goes away.
 */
import { liveHub, type LiveMessage } from './index.ts';

export interface SseEvent {
	event: string;
	data: unknown;
}

export function liveEventStream(
	request: Request,
	pick: (m: LiveMessage) => Promise<SseEvent[]> | SseEvent[]
): Response {
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
			const hub = liveHub();
			const unsubscribe = hub.subscribe((m) => {
				Promise.resolve()
					.then(() => pick(m))
					.then(
						(events) => {
							for (const e of events)
								send(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
						},
						() => {} // not for this user: RLS hid it, or the read failed
					);
			});
			// `: connected` and a `ready` event once LISTEN is in place: nothing raised after it is
			// missed, so a page reads what it may have missed on `ready`, not on the stream's `open`
			// (the headers, hence `open`, can go out before LISTEN is in place)
			void hub.ready().then(() => send('retry: 3000\n: connected\n\nevent: ready\ndata: {}\n\n'));
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
}
