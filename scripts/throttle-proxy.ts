/**
 * A slow link between a client and a server on this machine, for benchmarks (issue 14's field
 * link: 1 Mbit/s each way, 300 ms round trip). A TCP proxy: every chunk is delivered one-way
 * latency (RTT/2) after it was sent and no sooner than the link, at `bitsPerSecond`, has carried
 * the chunks before it, in each direction separately. So it shapes what Chromium's emulation
 * shapes (per-request latency, download rate) and also the upload and the TCP handshake, and it
 * counts the bytes that cross it. All connections share the link: Chromium's six parallel
 * connections to one host split the same 1 Mbit/s, as they would on a real field link.
 */
import net from 'node:net';

export interface Link {
	/** Round-trip time in ms (half of it each way). */
	rttMs: number;
	/** Each direction. */
	bitsPerSecond: number;
}

export interface ThrottleProxy {
	url: string;
	/** Bytes carried so far: client → server, server → client. */
	bytes: { up: number; down: number };
	close(): Promise<void>;
}

/** One direction of the link, shared by every connection. */
interface Lane {
	/** When the link is next free to carry a byte (ms, performance.now()). */
	free: number;
}

/** One direction of one connection: a FIFO whose chunks leave at the link's pace, in order. */
function pipe(
	from: net.Socket,
	to: net.Socket,
	link: Link,
	lane: Lane,
	count: (n: number) => void
) {
	const msPerByte = 8000 / link.bitsPerSecond;
	const queue: { at: number; chunk: Buffer | null }[] = []; // null: the end of the stream
	let timer: NodeJS.Timeout | null = null;
	// One timer per direction, draining the queue in order: timers of different delays may fire
	// out of order within a millisecond, which would reorder the bytes.
	const drain = () => {
		timer = null;
		const now = performance.now();
		while (queue.length && queue[0].at <= now + 0.5) {
			const { chunk } = queue.shift()!;
			if (chunk === null) to.end();
			else if (to.writable) to.write(chunk);
		}
		if (queue.length) timer = setTimeout(drain, Math.max(1, queue[0].at - now));
	};
	const push = (at: number, chunk: Buffer | null) => {
		queue.push({ at, chunk });
		timer ??= setTimeout(drain, Math.max(0, queue[0].at - performance.now()));
	};
	from.on('data', (chunk: Buffer) => {
		count(chunk.length);
		// Serialisation: the chunk occupies the link after the one before it.
		lane.free = Math.max(lane.free, performance.now()) + chunk.length * msPerByte;
		push(lane.free + link.rttMs / 2, chunk);
	});
	from.on('end', () => push(Math.max(lane.free, performance.now()) + link.rttMs / 2, null));
}

export async function throttleProxy(target: string, link: Link): Promise<ThrottleProxy> {
	const t = new URL(target);
	const bytes = { up: 0, down: 0 };
	const lanes: { up: Lane; down: Lane } = { up: { free: 0 }, down: { free: 0 } };
	const sockets = new Set<net.Socket>();
	const server = net.createServer((client) => {
		const upstream = net.connect(Number(t.port || 80), t.hostname);
		for (const s of [client, upstream]) {
			sockets.add(s);
			s.on('close', () => sockets.delete(s));
			s.on('error', () => {
				client.destroy();
				upstream.destroy();
			});
		}
		// The handshake costs a round trip on a real link: hold the first bytes until then.
		client.pause();
		setTimeout(() => client.resume(), link.rttMs);
		pipe(client, upstream, link, lanes.up, (n) => (bytes.up += n));
		pipe(upstream, client, link, lanes.down, (n) => (bytes.down += n));
	});
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
	const { port } = server.address() as net.AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		bytes,
		close: () =>
			new Promise<void>((ok) => {
				for (const s of sockets) s.destroy();
				server.close(() => ok());
			})
	};
}
