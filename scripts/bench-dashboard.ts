/**
 * Issue 16's scale goal, as a person meets it: "p95 < 150 ms server-side for every tile, count and
 * stats call an analyst's dashboard makes". Opens the map and the analysis screen in Chromium,
 * signed in as an admin (who reads what an analyst reads), against `terrain serve` on a PostgreSQL
 * database that already holds the incidents, and times every /api/v1 call the pages make by
 * themselves: the time from the request leaving the browser to the first byte of its answer, on
 * localhost (the server's time, queueing included). Each run is a fresh browser profile (no HTTP
 * cache, no service worker), so every tile is computed, not answered 304. Calls are grouped by
 * endpoint (tiles by zoom) with p50, p95 and the slowest; there is no peer, the goal is absolute.
 *
 *   BENCH_DATABASE_URL=postgres://…/bench npx tsx scripts/bench-dashboard.ts
 * The database is one bench-tiles.ts filled (`bench-tiles.ts 3000000` for the issue's scale):
 * this script adds nothing to it but the admin. Needs `npm run build`. BENCH_DASHBOARD_RUNS
 * (default 5) sets the loads per page. The browser, the server and PostgreSQL share the machine.
 */
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM, signIn, startServer, stopServer } from './serve-for-bench.ts';

const URL_ = process.env.BENCH_DATABASE_URL;
const RUNS = Number(process.env.BENCH_DASHBOARD_RUNS ?? 5);
const PAGES = ['/map', '/analysis'];
/** A page has settled when no API call has started or ended for this long. */
const QUIET_MS = 3000;

/** The endpoint a call belongs to: tiles by zoom, other paths as they are, the query left out. */
function endpoint(u: URL): string {
	const t = /^\/api\/v1\/tiles\/incidents\/(\d+)\/\d+\/\d+\.mvt$/.exec(u.pathname);
	if (t) return `tiles z${t[1]}${u.searchParams.has('from') ? ' dated' : ''}`;
	return u.pathname.replace(/^\/api\/v1/, '').replace(/[0-9a-f-]{36}/g, '{id}');
}

function pct(ts: number[], p: number): number {
	const s = [...ts].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** Loads `path` and collects each API call's time to first byte until the page is quiet. */
async function load(page: Page, base: string, path: string, into: Map<string, number[]>) {
	let last = Date.now();
	let open = 0;
	page.on('request', (r) => {
		if (!r.url().includes('/api/v1/')) return;
		open++;
		last = Date.now();
	});
	const done = (failed: boolean) => async (r: import('playwright-core').Request) => {
		const u = new URL(r.url());
		// The page itself: its server load runs the page's own queries (the analysis screen's
		// charts are computed there, not fetched).
		if (!failed && r.resourceType() === 'document' && u.pathname === path) {
			const t = r.timing();
			const key = `page ${path} (server load)`;
			if (!into.has(key)) into.set(key, []);
			into.get(key)!.push(t.responseStart - t.requestStart);
		}
		if (!r.url().includes('/api/v1/')) return;
		open--;
		last = Date.now();
		// Streams (live alerts) never end; a failed call has no answer to time.
		if (failed || u.pathname.endsWith('/stream')) return;
		const t = r.timing();
		if (t.responseStart < 0 || t.requestStart < 0) return;
		const key = endpoint(u);
		if (!into.has(key)) into.set(key, []);
		into.get(key)!.push(t.responseStart - t.requestStart);
	};
	page.on('requestfinished', done(false));
	page.on('requestfailed', done(true));
	await page.goto(`${base}${path}`, { waitUntil: 'load' });
	while (Date.now() - last < QUIET_MS || open > 1) {
		if (Date.now() - last > 120_000) break; // a call that never ends (a stream) after 2 min
		await page.waitForTimeout(250);
	}
}

async function main() {
	if (!URL_) {
		console.log('bench-dashboard: set BENCH_DATABASE_URL to a filled PostgreSQL database; skipped');
		return;
	}
	process.env.DATABASE_URL = URL_;
	const server = await startServer('dashboard');
	const browser = await chromium.launch(CHROMIUM);
	try {
		console.log(
			`\n## Calls the map and analysis screens make (ms to first byte, ${RUNS} loads each)\n`
		);
		console.log('| page | endpoint | calls | p50 | p95 | slowest | over 150 ms |');
		console.log('|---|---|---:|---:|---:|---:|---:|');
		for (const path of PAGES) {
			const calls = new Map<string, number[]>();
			for (let i = 0; i < RUNS; i++) {
				const ctx = await browser.newContext({
					viewport: { width: 1280, height: 800 },
					serviceWorkers: 'block'
				});
				const page = await ctx.newPage();
				await signIn(page, server.url, server.email, server.password);
				await load(page, server.url, path, calls);
				await ctx.close();
			}
			for (const [key, ts] of [...calls].sort()) {
				const over = ts.filter((t) => t > 150).length;
				console.log(
					`| ${path} | ${key} | ${ts.length} | ${pct(ts, 50).toFixed(0)} | ${pct(ts, 95).toFixed(0)} | ${Math.max(...ts).toFixed(0)} | ${over} |`
				);
			}
		}
	} finally {
		await browser.close();
		stopServer(server);
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
