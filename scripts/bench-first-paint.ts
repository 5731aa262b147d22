/**
 * B5 of issue 16: time to first drawn incidents, the app's /map (signed in, empty cache, no
 * service worker: a first visit) against the bare page a developer would write for the same job
 * (scripts/bare-map: maplibre with a background-only style and deck.gl's ScatterplotLayer drawing
 * the same incidents from one JSON file fetched at once; built here by vite, as the app is, and
 * served by a plain node server on the same machine). Goal: the app within 1.2× of the bare page.
 *
 * "Drawn" is seen, not reported: Chromium's screencast hands over every frame it composites, with
 * its time, and the first frame holding, inside the map's box, ≥ 300 pixels at full size (75 in
 * the half-size frames taken by default) of the incident colours (alpha 200 over the fill of Iraq,
 * the same on both pages) is the moment. Runs alternate app / bare page, each in a
 * fresh browser profile; the table gives medians and the ratio.
 *
 *   npx tsx scripts/bench-first-paint.ts          (starts `terrain serve` on fresh demo data; needs build/)
 *   TERRAIN_BENCH_URL=… TERRAIN_BENCH_EMAIL=… TERRAIN_BENCH_PASSWORD=… to use a running server
 *   TERRAIN_BENCH_RUNS=5 (default), TERRAIN_BENCH_LINK=field to add runs through the field link
 *   (scripts/throttle-proxy.ts: 1 Mbit/s, 300 ms round trip) for both pages.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM, signIn, startServer, stopServer, type BenchServer } from './serve-for-bench.ts';
import { throttleProxy } from './throttle-proxy.ts';
import { Pixels } from '../tests/e2e/helpers/browser.ts';
import { EVENT_TYPE_COLOURS, EVENT_TYPES } from '../src/lib/domain/taxonomy.ts';

const ROOT = join(import.meta.dirname, '..');
const RUNS = Number(process.env.TERRAIN_BENCH_RUNS ?? 5);
const LINKS = ['local', ...(process.env.TERRAIN_BENCH_LINK === 'field' ? ['field'] : [])];
const VIEWPORT = { width: 1280, height: 800 };
/**
 * Frames come at a quarter of the viewport's pixels (TERRAIN_BENCH_FRAME_SCALE=1 for all of them):
 * encoding each frame (Chromium) and decoding it (here) share the machine's two cores with both
 * pages and their servers, and at full size this process alone kept most of a core busy.
 */
const FRAME_SCALE = Number(process.env.TERRAIN_BENCH_FRAME_SCALE ?? 0.5);
const MIN_PIXELS = Math.round(300 * FRAME_SCALE * FRAME_SCALE);
/** TERRAIN_BENCH_FRAMES=dir keeps each run's first frame with incidents, to look at. */
const FRAMES = process.env.TERRAIN_BENCH_FRAMES;
/** TERRAIN_BENCH_FRAMES_ALL=dir keeps every frame of every run (named port-ms.png), to see what came when. */
const FRAMES_ALL = process.env.TERRAIN_BENCH_FRAMES_ALL;
/**
 * TERRAIN_BENCH_LIST=1 prints each run's requests (maplibre's worker's too) with the browser's
 * times, its frames, and then the page's own time line: resources, long tasks, paint and
 * `performance.mark`s.
 */
const LIST = process.env.TERRAIN_BENCH_LIST === '1';
const TIMEOUT_MS = 120_000;

// An incident (a point or a tile's circle) at alpha 200/255 over Iraq's fill (251, 250, 248).
const FILL = [251, 250, 248];
const DRAWN = EVENT_TYPES.map((t) =>
	EVENT_TYPE_COLOURS[t].map((v, i) => (v * 200) / 255 + FILL[i] * (55 / 255))
);
const isIncident = (p: number[]) =>
	DRAWN.some(
		(c) => Math.abs(p[0] - c[0]) <= 24 && Math.abs(p[1] - c[1]) <= 24 && Math.abs(p[2] - c[2]) <= 24
	);

/** The bare page, built into `out` with the points beside it. */
async function buildBarePage(points: unknown[], out: string) {
	await build({
		root: join(ROOT, 'scripts', 'bare-map'),
		base: './',
		logLevel: 'warn',
		configFile: false,
		build: { outDir: out, emptyOutDir: true }
	});
	writeFileSync(join(out, 'points.json'), JSON.stringify(points));
}

const TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript',
	'.css': 'text/css',
	'.json': 'application/json'
};

/** A plain static server for the bare page, gzipped as any web server's default would. */
function serve(dir: string): Promise<{ url: string; server: Server }> {
	const zipped = new Map<string, Buffer>();
	const server = createServer((req, res) => {
		const path = new URL(req.url ?? '/', 'http://x').pathname;
		const file = join(dir, path === '/' ? 'index.html' : path);
		if (!file.startsWith(dir) || !existsSync(file)) {
			res.writeHead(404).end();
			return;
		}
		if (!zipped.has(file)) zipped.set(file, gzipSync(readFileSync(file)));
		res.writeHead(200, {
			'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
			'content-encoding': 'gzip'
		});
		res.end(zipped.get(file));
	});
	return new Promise((ok) =>
		server.listen(0, '127.0.0.1', () => {
			const a = server.address() as { port: number };
			ok({ url: `http://127.0.0.1:${a.port}`, server });
		})
	);
}

/**
 * Opens `url` in a fresh profile (after `prepare`, e.g. signing in) and returns the ms from the
 * navigation's start to the first composited frame showing incidents.
 */
async function firstDrawn(
	url: string,
	prepare?: (page: import('playwright-core').Page) => Promise<void>
) {
	const profile = mkdtempSync(join(tmpdir(), 'terrain-bench-chromium-'));
	const ctx = await chromium.launchPersistentContext(profile, {
		...CHROMIUM,
		viewport: VIEWPORT,
		serviceWorkers: 'block'
	});
	try {
		const page = ctx.pages()[0] ?? (await ctx.newPage());
		if (prepare) await prepare(page);
		await page.goto('about:blank');
		const cdp = await ctx.newCDPSession(page);
		await cdp.send('Network.enable');
		await cdp.send('Network.clearBrowserCache');
		let t0 = 0;
		// Only the map's own pixels count: the app's legend has swatches of the same colours.
		let mapBox: Promise<{ x: number; y: number; width: number; height: number }> | null = null;
		let frames = Promise.resolve();
		const seen = new Promise<number>((resolve, reject) => {
			const timer = setTimeout(
				() => reject(new Error(`no incidents drawn on ${url} within ${TIMEOUT_MS / 1000} s`)),
				TIMEOUT_MS
			);
			const look = async (data: string, at: number) => {
				const img = Pixels.fromPng(Buffer.from(data, 'base64'));
				if (LIST) console.log(`${((at - t0) / 1000).toFixed(2)} s\tframe`);
				if (FRAMES_ALL)
					writeFileSync(
						join(
							FRAMES_ALL,
							`${new URL(url).port}-${String(Math.round(at - t0)).padStart(5, '0')}.png`
						),
						Buffer.from(data, 'base64')
					);
				if (img.count((p) => isIncident(p)) < MIN_PIXELS) return;
				mapBox ??= page
					.locator('.maplibregl-map')
					.first()
					.boundingBox()
					.then((b) => b ?? { x: 0, y: 0, width: 0, height: 0 });
				const box = await mapBox;
				const k = img.width / VIEWPORT.width;
				const inMap = (x: number, y: number) =>
					x >= box.x * k &&
					x < (box.x + box.width) * k &&
					y >= box.y * k &&
					y < (box.y + box.height) * k;
				if (img.count((p, x, y) => inMap(x, y) && isIncident(p)) < MIN_PIXELS) return;
				clearTimeout(timer);
				if (FRAMES)
					writeFileSync(
						join(FRAMES, `${new URL(url).port}-${Math.round(at - t0)}.png`),
						Buffer.from(data, 'base64')
					);
				resolve(at - t0);
			};
			cdp.on(
				'Page.screencastFrame',
				(f: { data: string; sessionId: number; metadata: { timestamp?: number } }) => {
					void cdp.send('Page.screencastFrameAck', { sessionId: f.sessionId }).catch(() => {});
					if (!t0) return;
					const at = (f.metadata.timestamp ?? Date.now() / 1000) * 1000;
					// One frame at a time, in order; each keeps the time Chromium gave it.
					frames = frames.then(() => look(f.data, at)).catch(reject);
				}
			);
		});
		await cdp.send('Page.startScreencast', {
			format: 'png',
			everyNthFrame: 1,
			maxWidth: Math.round(VIEWPORT.width * FRAME_SCALE),
			maxHeight: Math.round(VIEWPORT.height * FRAME_SCALE)
		});
		if (LIST) {
			// The browser's own times (this process is busy decoding frames), the worker's too.
			ctx.on('requestfinished', (r) => {
				const t = r.timing();
				const at = (ms: number) => ((t.startTime + ms - t0) / 1000).toFixed(2);
				console.log(
					`${at(0)} → ${at(t.responseEnd)} s\t${r.url().replace(/^https?:\/\/[^/]+/, '')}`
				);
			});
			await page.addInitScript(recordLongTasks);
		}
		t0 = Date.now();
		void page.goto(url, { waitUntil: 'commit', timeout: TIMEOUT_MS }).catch(() => {});
		const drawn = await seen;
		if (LIST) await printTimeline(page);
		return drawn;
	} finally {
		await ctx.close();
		rmSync(profile, { recursive: true, force: true });
	}
}

/** In the page before its first script: keeps the main thread's long tasks for printTimeline. */
function recordLongTasks() {
	const w = window as unknown as { __longTasks: PerformanceEntry[] };
	w.__longTasks = [];
	new PerformanceObserver((l) => w.__longTasks.push(...l.getEntries())).observe({
		type: 'longtask',
		buffered: true
	});
}

/**
 * The page's own time line (its clock, not this process's, which is busy decoding frames):
 * each resource's start and end, the long tasks of the main thread, and the paint marks.
 */
async function printTimeline(page: import('playwright-core').Page) {
	const rows = await page.evaluate(() => {
		const w = window as unknown as { __longTasks?: PerformanceEntry[] };
		const res = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map(
			(e) => [e.startTime, e.responseEnd, e.name.replace(/^https?:\/\/[^/]+/, '')] as const
		);
		const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
		return [
			[nav.startTime, nav.responseEnd, '(document)'] as const,
			...res,
			...(w.__longTasks ?? []).map(
				(e) => [e.startTime, e.startTime + e.duration, '(long task)'] as const
			),
			...[...performance.getEntriesByType('paint'), ...performance.getEntriesByType('mark')].map(
				(e) => [e.startTime, e.startTime, e.name] as const
			)
		].sort((a, b) => a[0] - b[0]);
	});
	console.log('page time line (ms): start → end  what');
	for (const [a, b, what] of rows)
		console.log(`${a.toFixed(0).padStart(6)} → ${b.toFixed(0).padStart(6)}  ${what}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms: number) => (ms / 1000).toFixed(2);

async function main() {
	let server: BenchServer | null = null;
	let base = process.env.TERRAIN_BENCH_URL?.replace(/\/$/, '');
	let email = process.env.TERRAIN_BENCH_EMAIL ?? '';
	let password = process.env.TERRAIN_BENCH_PASSWORD ?? '';
	const closers: (() => Promise<unknown> | void)[] = [];
	try {
		if (!base) {
			server = await startServer('first-paint');
			({ url: base, email, password } = server);
		}
		// The same points the app's map would draw: every incident in the first view of Iraq.
		const browser = await chromium.launch(CHROMIUM);
		const page = await browser.newPage();
		await signIn(page, base, email, password);
		const r = await page.request.get(
			`${base}/api/v1/map/incidents?bbox=38.6,28.9,48.9,37.5&limit=50000`
		);
		if (!r.ok()) throw new Error(`/api/v1/map/incidents: ${r.status()} ${await r.text()}`);
		const { points } = (await r.json()) as { points: unknown[] };
		await browser.close();
		const dir = mkdtempSync(join(tmpdir(), 'terrain-bench-bare-'));
		closers.push(() => rmSync(dir, { recursive: true, force: true }));
		await buildBarePage(points, dir);
		const bare = await serve(dir);
		closers.push(() => new Promise((ok) => bare.server.close(ok)));

		console.log(
			`## B5. first drawn incidents (${points.length.toLocaleString('en')} incidents, ${VIEWPORT.width}×${VIEWPORT.height}, empty cache, medians of ${RUNS} alternated runs)`
		);
		console.log(
			'| link | app /map | bare maplibre + deck.gl page | ratio | goal ≤ 1.2× | app runs (s) | bare runs (s) |'
		);
		console.log('|---|---|---|---|---|---|---|');
		for (const link of LINKS) {
			let appBase = base;
			let bareBase = bare.url;
			if (link === 'field') {
				const LINK = { rttMs: 300, bitsPerSecond: 1_000_000 };
				const p1 = await throttleProxy(base, LINK);
				const p2 = await throttleProxy(bare.url, LINK);
				closers.push(
					() => p1.close(),
					() => p2.close()
				);
				[appBase, bareBase] = [p1.url, p2.url];
			}
			const app: number[] = [];
			const peer: number[] = [];
			for (let i = 0; i < RUNS; i++) {
				// The session cookie is the server's host's: it holds for the proxy's port too.
				app.push(await firstDrawn(`${appBase}/map`, (p) => signIn(p, base!, email, password)));
				peer.push(await firstDrawn(`${bareBase}/`));
			}
			const ratio = median(app) / median(peer);
			console.log(
				`| ${link === 'field' ? 'field (1 Mbit/s, 300 ms)' : 'localhost'} | ${s(median(app))} s | ${s(median(peer))} s | ${ratio.toFixed(2)}× | ${ratio <= 1.2 ? 'met' : 'NOT met'} | ${app.map(s).join(', ')} | ${peer.map(s).join(', ')} |`
			);
		}
	} finally {
		for (const c of closers.reverse()) await c();
		if (server) stopServer(server);
	}
}

await main();
