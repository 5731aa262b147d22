// A large compressed answer read slowly: SvelteKit's writer waits on `drain` hundreds of times.
// Before compressor() each wait left a listener on the zlib stream (MaxListenersExceededWarning).
import { randomBytes } from 'node:crypto';
import { createServer, get, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, expect, it } from 'vitest';
import { compressor } from './compress.ts';

let server: Server | undefined;
afterEach(() => server?.close());

it('answers a slow reader in full, gzipped, without piling up drain listeners', async () => {
	const warnings: string[] = [];
	const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
	process.on('warning', onWarning);
	const body = Array.from({ length: 200 }, () => randomBytes(16384).toString('hex'));
	const compress = compressor();
	let waits = 0;
	server = createServer((req, res) =>
		compress(req, res, async () => {
			res.setHeader('content-type', 'application/json');
			for (const chunk of body) {
				if (!res.write(chunk)) {
					waits++;
					await new Promise((r) => res.once('drain', r));
				}
			}
			res.end();
		})
	);
	await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
	const port = (server.address() as { port: number }).port;
	const got = await new Promise<Buffer>((resolve) =>
		get({ port, host: '127.0.0.1', headers: { 'accept-encoding': 'gzip' } }, (r) => {
			const parts: Buffer[] = [];
			r.on('data', (d: Buffer) => {
				parts.push(d);
				r.pause();
				setTimeout(() => r.resume(), 1);
			});
			r.on('end', () => resolve(Buffer.concat(parts)));
		})
	);
	await new Promise((r) => setTimeout(r, 50)); // warnings are emitted on the next tick
	process.off('warning', onWarning);
	expect(gunzipSync(got).toString()).toBe(body.join(''));
	expect(waits).toBeGreaterThan(10);
	expect(warnings.filter((w) => w.includes('drain'))).toEqual([]);
}, 60_000);
