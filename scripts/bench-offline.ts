/**
 * Field-link benchmark (issue 14), through scripts/throttle-proxy.ts at 1 Mbit/s each way, 300 ms
 * round trip, one link shared by all connections:
 *  A. a signed-in user with an empty cache opens /map: bytes on the wire (both ways, every
 *     request: the page, maplibre's worker, the service worker) and seconds until the map is
 *     usable (canvas drawn, no layer loading), with and without the "low data" switch.
 *     Goal: ≤ 1.5 MB and ≤ 10 s.
 *  B. 1,000 queued reports sent one POST each (the outbox before batching), in batches of 100
 *     (the outbox now: /api/v1/incidents/report/batch) and as one POST of 1,000, each report with
 *     its own client id as idempotency key, all measured whole (no extrapolation) through
 *     the same proxy (Chromium's emulation would leave uploads and handshakes unshaped).
 *
 *   TERRAIN_BENCH_URL=http://127.0.0.1:3000 TERRAIN_BENCH_EMAIL=… TERRAIN_BENCH_PASSWORD=… \
 *     npx tsx scripts/bench-offline.ts
 * Without TERRAIN_BENCH_URL it starts `terrain serve` on a fresh data directory (needs build/).
 * TERRAIN_BENCH_PARTS=b runs B only; TERRAIN_BENCH_QUEUED=200 sends fewer reports.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { throttleProxy } from './throttle-proxy.ts';
import { CHROMIUM, signIn, startServer, stopServer, type BenchServer } from './serve-for-bench.ts';

/** The field link, made by scripts/throttle-proxy.ts for A and B. */
const LINK = { rttMs: 300, bitsPerSecond: 1_000_000 };
/** How many queued reports B sends each way (TERRAIN_BENCH_QUEUED to change it). */
const QUEUED = Number(process.env.TERRAIN_BENCH_QUEUED ?? 1000);
const OUTBOX_BATCH = 100;
/** TERRAIN_BENCH_PARTS=b runs B only. */
const PARTS = (process.env.TERRAIN_BENCH_PARTS ?? 'ab').toLowerCase();
const LIST = process.env.TERRAIN_BENCH_LIST === '1';

const mb = (b: number) => (b / 1_000_000).toFixed(2);

/**
 * A. The first map, with every byte through the throttling proxy: the page, maplibre's worker
 * (which fetches the basemap) and the service worker share the one slow link and are all counted.
 * Chromium's own emulation (CDP) shapes and sees only the page's requests, which is how this
 * bench undercounted until session 17. The proxy's origin is new to the browser: no service
 * worker, no cache. The session cookie is the base's (cookies do not differ by port).
 */
async function firstMap(base: string, email: string, password: string, lowData: boolean) {
	const profile = mkdtempSync(join(tmpdir(), 'terrain-bench-chromium-'));
	const proxy = await throttleProxy(base, LINK);
	const ctx = await chromium.launchPersistentContext(profile, {
		...CHROMIUM,
		viewport: { width: 1280, height: 800 }
	});
	try {
		const page = ctx.pages()[0] ?? (await ctx.newPage());
		await signIn(page, base, email, password);
		await page.goto(`${base}/login`); // a light page; the proxy's origin has its own storage
		const cdp = await ctx.newCDPSession(page);
		await cdp.send('Network.enable');
		await cdp.send('Network.clearBrowserCache');
		const urls = new Map<string, string>();
		let t0 = Date.now();
		cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) =>
			urls.set(e.requestId, e.request.url)
		);
		// TERRAIN_BENCH_LIST=1 prints each of the page's responses as it lands (workers' are not
		// seen here, but are in the proxy's count).
		cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
			if (LIST)
				console.log(
					`${((Date.now() - t0) / 1000).toFixed(2)} s\t${e.encodedDataLength}\t${urls.get(e.requestId)?.replace(proxy.url, '')}`
				);
		});
		// maplibre's worker fetches the basemap, glyphs and tiles: CDP's page session does not see
		// those, playwright's context does (sizes as the body the worker received).
		if (LIST)
			ctx.on('requestfinished', async (r) => {
				if (!r.frame) return;
				let worker = false;
				try {
					r.frame();
				} catch {
					worker = true;
				}
				if (!worker) return;
				const size = (await r.sizes().catch(() => null))?.responseBodySize ?? -1;
				console.log(
					`${((Date.now() - t0) / 1000).toFixed(2)} s\t${size}\t[worker] ${r.url().replace(proxy.url, '')}`
				);
			});
		// The low-data switch is kept per origin: set it on the proxy's origin without loading a page.
		await page.route(`${proxy.url}/__bench`, (r) =>
			r.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html>' })
		);
		await page.goto(`${proxy.url}/__bench`);
		await page.evaluate(
			(on) =>
				on
					? localStorage.setItem('terrain.lowData', '1')
					: localStorage.removeItem('terrain.lowData'),
			lowData
		);
		await page.unroute(`${proxy.url}/__bench`);
		const before = proxy.bytes.up + proxy.bytes.down;
		t0 = Date.now();
		await page.goto(`${proxy.url}/map`, { waitUntil: 'commit' });
		// Usable: the canvas is there, the basemap has drawn, and no layer is loading any more.
		await page.waitForFunction(
			() => {
				const c = document.querySelector('.maplibregl-canvas');
				const loading = document.querySelectorAll('[data-loading="true"]').length;
				const any = document.querySelectorAll('[data-loading]').length;
				return c && any > 0 && loading === 0;
			},
			undefined,
			{ timeout: 180_000, polling: 100 }
		);
		const seconds = (Date.now() - t0) / 1000;
		return { seconds, bytes: proxy.bytes.up + proxy.bytes.down - before, requests: urls.size };
	} finally {
		await ctx.close();
		await proxy.close();
		rmSync(profile, { recursive: true, force: true });
	}
}

function report(i: number, run: string) {
	return {
		event_date: '2026-11-01',
		time_precision: 'day',
		event_type: 'protests',
		coordinates: `${(36 + (i % 100) / 200).toFixed(4)}, ${(43 + (i % 97) / 200).toFixed(4)}`,
		location_name: `Bench ${run} ${i}`,
		notes: `bench-offline ${run} item ${i}`,
		affects_us: false,
		affects_ngos: false,
		serious: false,
		confidentiality: 'internal'
	};
}

/** Signs in without a browser; the Cookie header value. */
async function sessionCookie(base: string, email: string, password: string): Promise<string> {
	const r = await fetch(`${base}/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
		body: new URLSearchParams({ email, password }),
		redirect: 'manual'
	});
	const c = r.headers.getSetCookie().find((x) => x.startsWith('terrain_session='));
	if (!c) throw new Error(`bench-offline: sign-in failed (HTTP ${r.status})`);
	return c.split(';')[0];
}

interface Run {
	ms: number;
	requests: number;
	accepted: number;
	up: number;
	down: number;
}

/**
 * B. The same number of queued reports sent three ways through the throttled link, each with its
 * client id as idempotency key and fresh ids per way (so each way creates as many incidents):
 * one POST per report in order (the outbox before the batch endpoint), batches of BATCH_SIZE
 * (what the outbox now does), and one POST carrying them all.
 */
async function replay(
	base: string,
	email: string,
	password: string,
	n: number,
	onRow: (name: string, r: Run) => void
) {
	const cookie = await sessionCookie(base, email, password);
	const proxy = await throttleProxy(base, { rttMs: LINK.rttMs, bitsPerSecond: LINK.bitsPerSecond });
	const headers = {
		cookie,
		origin: proxy.url,
		'content-type': 'application/json',
		accept: 'application/json',
		// Uncompressed: with gzip, a kept-alive connection sometimes received a stray chunked
		// terminator ("0\r\n\r\n") after a response, and the client refused the next answer
		// (HPE_INVALID_CONSTANT). Not yet looked into; see the server's gzip stream warning.
		'accept-encoding': 'identity'
	};
	const tag = Date.now().toString(36);
	const items = (way: string) =>
		Array.from({ length: n }, (_, i) => ({
			id: `${tag}-${way}-${i}`,
			body: report(i, `${tag}${way}`)
		}));
	const measure = async (
		fn: () => Promise<{ requests: number; accepted: number }>
	): Promise<Run> => {
		const up0 = proxy.bytes.up;
		const down0 = proxy.bytes.down;
		const t = performance.now();
		const r = await fn();
		return {
			ms: performance.now() - t,
			...r,
			up: proxy.bytes.up - up0,
			down: proxy.bytes.down - down0
		};
	};
	const batches = (size: number) => async () => {
		const list = items(`b${size}`);
		let requests = 0;
		let accepted = 0;
		for (let i = 0; i < list.length; i += size) {
			const res = await fetch(`${proxy.url}/api/v1/incidents/report/batch`, {
				method: 'POST',
				headers,
				body: JSON.stringify({ items: list.slice(i, i + size) })
			});
			requests++;
			const body = (await res.json()) as { results?: { status: number }[] };
			if (!res.ok) throw new Error(`batch: HTTP ${res.status} ${JSON.stringify(body)}`);
			accepted += body.results?.filter((x) => x.status === 201).length ?? 0;
		}
		return { requests, accepted };
	};
	// One report each way before measuring: the server loads each route's code on first use, and
	// that first load is not what the link costs.
	for (const [path, body, key] of [
		['/api/v1/incidents/report', report(0, `${tag}warm`), `${tag}-warm-one`],
		[
			'/api/v1/incidents/report/batch',
			{ items: [{ id: `${tag}-warm-b`, body: report(1, `${tag}warm`) }] },
			undefined
		]
	] as const) {
		const res = await fetch(`${base}${path}`, {
			method: 'POST',
			headers: { ...headers, origin: base, ...(key ? { 'idempotency-key': key } : {}) },
			body: JSON.stringify(body)
		});
		if (!res.ok) throw new Error(`bench-offline: warm-up ${path}: HTTP ${res.status}`);
		await res.arrayBuffer();
	}
	try {
		const one = await measure(async () => {
			let accepted = 0;
			for (const it of items('one')) {
				const res = await fetch(`${proxy.url}/api/v1/incidents/report`, {
					method: 'POST',
					headers: { ...headers, 'idempotency-key': it.id },
					body: JSON.stringify(it.body)
				});
				await res.arrayBuffer();
				if (res.status === 201) accepted++;
			}
			return { requests: n, accepted };
		});
		onRow('one POST per report', one);
		const outbox = await measure(batches(OUTBOX_BATCH));
		onRow(`batches of ${OUTBOX_BATCH} (the outbox)`, outbox);
		const whole = await measure(batches(n));
		onRow(`one POST of ${n}`, whole);
		return { one, outbox, whole };
	} finally {
		await proxy.close();
	}
}

async function main() {
	let server: BenchServer | null = null;
	let base = process.env.TERRAIN_BENCH_URL?.replace(/\/$/, '');
	let email = process.env.TERRAIN_BENCH_EMAIL ?? '';
	let password = process.env.TERRAIN_BENCH_PASSWORD ?? '';
	try {
		if (!base) {
			server = await startServer('offline');
			({ url: base, email, password } = server);
		}
		if (PARTS.includes('a')) {
			console.log(
				'## A. first usable map through a throttling proxy (1 Mbit/s each way, 300 ms RTT; empty cache, signed in)'
			);
			console.log('| mode | MB on the wire | page requests | seconds | goal ≤1.5 MB, ≤10 s |');
			console.log('|---|---|---|---|---|');
			for (const low of [false, true]) {
				const r = await firstMap(base, email, password, low);
				const ok = r.bytes <= 1_500_000 && r.seconds <= 10 ? 'met' : 'NOT met';
				console.log(
					`| ${low ? 'low data' : 'default'} | ${mb(r.bytes)} | ${r.requests} | ${r.seconds.toFixed(1)} | ${ok} |`
				);
			}
		}
		if (!PARTS.includes('b')) return;
		console.log(
			`\n## B. ${QUEUED} queued reports through a throttling proxy (${LINK.bitsPerSecond / 1e6} Mbit/s each way, ${LINK.rttMs} ms RTT)`
		);
		const kb = (x: number) => (x / 1000).toFixed(0);
		console.log('| way | requests | accepted | seconds | kB up | kB down |');
		console.log('|---|---|---|---|---|---|');
		const row = (name: string, r: Run) =>
			console.log(
				`| ${name} | ${r.requests} | ${r.accepted} | ${(r.ms / 1000).toFixed(1)} | ${kb(r.up)} | ${kb(r.down)} |`
			);
		const b = await replay(base, email, password, QUEUED, row);
		const ratio = (a: number, c: number) => (a / c).toFixed(1);
		console.log(
			`\nOne by one takes ${ratio(b.one.ms, b.outbox.ms)}× the time of the outbox's batches and ${ratio(b.one.ms, b.whole.ms)}× that of a single POST; it moves ${ratio(b.one.up + b.one.down, b.outbox.up + b.outbox.down)}× the bytes of the batches.`
		);
	} finally {
		if (server) stopServer(server);
	}
}

await main();
