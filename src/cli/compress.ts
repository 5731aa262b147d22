import type { IncomingMessage, ServerResponse } from 'node:http';
import compression from 'compression';

/**
 * Field offices work on poor connections: compress what is worth it (JSON, GeoJSON, JS, CSS).
 * Never the live feed: a compressed event stream is held back until a buffer fills.
 *
 * compression hands a response's `drain` listeners to its zlib stream, but `res.once('drain')`
 * — how SvelteKit waits on a slow client — removes its listener from `res`, where it is not, so
 * each wait left one behind on the stream: a large answer to a slow link piled them up (Node's
 * "MaxListenersExceededWarning … drain listeners added to [Gzip]"). Here a `drain` once-listener
 * removes itself from whichever emitter fired it.
 */
export function compressor() {
	const compress = compression({
		threshold: 1024,
		filter: (req, res) =>
			!String(res.getHeader('content-type') ?? '').startsWith('text/event-stream') &&
			compression.filter(req, res)
	});
	return (req: IncomingMessage, res: ServerResponse, next: () => void) =>
		compress(req as never, res as never, () => {
			type Listener = (...args: unknown[]) => void;
			const once = res.once.bind(res) as (type: string | symbol, listener: Listener) => unknown;
			(res as { once: unknown }).once = (type: string | symbol, listener: Listener) => {
				if (type !== 'drain') return once(type, listener);
				const fired = function (this: NodeJS.EventEmitter, ...args: unknown[]) {
					this.removeListener('drain', fired);
					listener.apply(res, args);
				};
				return res.on('drain', fired);
			};
			next();
		});
}
