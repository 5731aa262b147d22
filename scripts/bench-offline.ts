/**
 * Field-link benchmark (issue 14), in Chromium with CDP network throttling at 1 Mbit/s down and
 * up, 300 ms round trip:
 *  A. a signed-in user with an empty cache opens /map: bytes on the wire and seconds until the
 *     map is usable (canvas drawn, no layer loading), with and without the "low data" switch.
 *     Goal: ≤ 1.5 MB and ≤ 10 s.
 *  B. 1,000 queued reports: replayed one by one (as the outbox does) against one batched POST of
 *     the same reports (/api/v1/incidents/report/batch), both with per-item Idempotency-Keys.
 *     The one-by-one replay is measured on 50 items under throttling and extrapolated (1,000 would
 *     take minutes of round trips); the batch of 1,000 is measured whole under throttling.
 *
 *   TERRAIN_BENCH_URL=http://127.0.0.1:3000 TERRAIN_BENCH_EMAIL=… TERRAIN_BENCH_PASSWORD=… \
 *     npx tsx scripts/bench-offline.ts
 * Without TERRAIN_BENCH_URL it starts `terrain serve` on a fresh data directory (needs build/).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const ROOT = join(import.meta.dirname, '..');
const THROTTLE = {
	offline: false,
	latency: 300,
	downloadThroughput: 1_000_000 / 8,
	uploadThroughput: 1_000_000 / 8
};
const BATCH = 1000;
const SEQUENTIAL_SAMPLE = 50;

async function startServer(): Promise<{
	url: string;
	email: string;
	password: string;
	child: ChildProcess;
	dir: string;
}> {
	if (!existsSync(join(ROOT, 'build', 'handler.js')))
		throw new Error('bench-offline: build/ is missing; run `npm run build` first');
	const dir = mkdtempSync(join(tmpdir(), 'terrain-bench-offline-'));
	const email = 'bench-admin@bench.terrain.test';
	const password = 'bench-offline-password-1';
	const child = spawn(process.execPath, [join(ROOT, 'bin', 'terrain.js'), 'serve'], {
		cwd: ROOT,
		env: {
			...process.env,
			TERRAIN_DATA_DIR: dir,
			PORT: '0',
			HOST: '127.0.0.1',
			TERRAIN_ADMIN_EMAIL: email,
			TERRAIN_ADMIN_PASSWORD: password
		},
		stdio: ['ignore', 'pipe', 'inherit'],
		detached: true
	});
	const url = await new Promise<string>((resolve, reject) => {
		let out = '';
		child.stdout!.setEncoding('utf8').on('data', (d: string) => {
			out += d;
			const m = /Terrain is ready in [\d.]+ s: (http:\/\/\S+)/.exec(out);
			if (m) resolve(m[1].replace(/\/$/, ''));
		});
		child.once('exit', (c) => reject(new Error(`terrain serve exited (${c})`)));
	});
	return { url, email, password, child, dir };
}

async function signIn(page: Page, base: string, email: string, password: string) {
	await page.goto(`${base}/login`);
	await page.locator('#email').fill(email);
	await page.locator('#password').fill(password);
	await Promise.all([
		page.waitForURL((u) => u.pathname !== '/login'),
		page.locator('form button[type="submit"]').click()
	]);
}

const mb = (b: number) => (b / 1_000_000).toFixed(2);

async function firstMap(base: string, email: string, password: string, lowData: boolean) {
	const profile = mkdtempSync(join(tmpdir(), 'terrain-bench-chromium-'));
	const ctx = await chromium.launchPersistentContext(profile, {
		executablePath: '/usr/bin/chromium',
		headless: true,
		viewport: { width: 1280, height: 800 },
		args: [
			'--no-sandbox',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--use-angle=gl-egl',
			'--ignore-gpu-blocklist'
		]
	});
	try {
		const page = ctx.pages()[0] ?? (await ctx.newPage());
		await signIn(page, base, email, password);
		await page.goto(`${base}/login`); // a light page while the cache is emptied
		await page.evaluate(
			(on) =>
				on
					? localStorage.setItem('terrain.lowData', '1')
					: localStorage.removeItem('terrain.lowData'),
			lowData
		);
		const cdp = await ctx.newCDPSession(page);
		await cdp.send('Network.enable');
		await cdp.send('Network.clearBrowserCache');
		await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
		await page.evaluate(async () => {
			for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
			for (const k of await caches.keys()) await caches.delete(k);
		});
		await cdp.send('Network.emulateNetworkConditions', THROTTLE);
		let bytes = 0;
		let requests = 0;
		cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
			bytes += e.encodedDataLength;
			requests++;
		});
		const t0 = Date.now();
		await page.goto(`${base}/map`, { waitUntil: 'commit' });
		// Usable: the canvas is there, the basemap has drawn, and no layer is loading any more.
		await page.waitForFunction(
			() => {
				const c = document.querySelector('.maplibregl-canvas');
				const loading = document.querySelectorAll('[data-loading="true"]').length;
				const any = document.querySelectorAll('[data-loading]').length;
				return c && any > 0 && loading === 0;
			},
			undefined,
			{ timeout: 120_000, polling: 100 }
		);
		const seconds = (Date.now() - t0) / 1000;
		const at = bytes;
		await cdp.send('Network.emulateNetworkConditions', {
			...THROTTLE,
			latency: 0,
			downloadThroughput: -1,
			uploadThroughput: -1
		});
		return { seconds, bytes: at, requests };
	} finally {
		await ctx.close();
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

async function replay(base: string, email: string, password: string) {
	const profile = mkdtempSync(join(tmpdir(), 'terrain-bench-chromium-'));
	const ctx = await chromium.launchPersistentContext(profile, {
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking']
	});
	try {
		const page = ctx.pages()[0] ?? (await ctx.newPage());
		await signIn(page, base, email, password);
		const cdp = await ctx.newCDPSession(page);
		await cdp.send('Network.enable');
		await cdp.send('Network.emulateNetworkConditions', THROTTLE);
		const run = Date.now().toString(36);
		const items = Array.from({ length: BATCH }, (_, i) => ({
			id: `${run}-${i}`,
			body: report(i, run)
		}));
		// One by one, in order, each with its key: what the outbox does.
		const seq = await page.evaluate(
			async (list) => {
				const t = performance.now();
				let ok = 0;
				for (const it of list) {
					const r = await fetch('/api/v1/incidents/report', {
						method: 'POST',
						headers: { 'content-type': 'application/json', 'idempotency-key': it.id },
						body: JSON.stringify(it.body)
					});
					if (r.ok) ok++;
				}
				return { ms: performance.now() - t, ok };
			},
			items.slice(0, SEQUENTIAL_SAMPLE)
		);
		// The same reports and the rest, in one request: the first 50 answer from their keys.
		const batch = await page.evaluate(async (list) => {
			const t = performance.now();
			const r = await fetch('/api/v1/incidents/report/batch', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ items: list })
			});
			const body = await r.json();
			return {
				ms: performance.now() - t,
				status: r.status,
				results: body.results?.length ?? 0,
				size: JSON.stringify(list).length
			};
		}, items);
		return { seq, batch };
	} finally {
		await ctx.close();
		rmSync(profile, { recursive: true, force: true });
	}
}

async function main() {
	let server: Awaited<ReturnType<typeof startServer>> | null = null;
	let base = process.env.TERRAIN_BENCH_URL?.replace(/\/$/, '');
	let email = process.env.TERRAIN_BENCH_EMAIL ?? '';
	let password = process.env.TERRAIN_BENCH_PASSWORD ?? '';
	try {
		if (!base) {
			server = await startServer();
			({ url: base, email, password } = server);
		}
		console.log('## A. first usable map at 1 Mbit/s, 300 ms RTT (empty cache, signed in)');
		console.log('| mode | MB on the wire | requests | seconds | goal ≤1.5 MB, ≤10 s |');
		console.log('|---|---|---|---|---|');
		for (const low of [false, true]) {
			const r = await firstMap(base, email, password, low);
			const ok = r.bytes <= 1_500_000 && r.seconds <= 10 ? 'met' : 'NOT met';
			console.log(
				`| ${low ? 'low data' : 'default'} | ${mb(r.bytes)} | ${r.requests} | ${r.seconds.toFixed(1)} | ${ok} |`
			);
		}
		console.log(`\n## B. ${BATCH} queued reports at 1 Mbit/s, 300 ms RTT`);
		const { seq, batch } = await replay(base, email, password);
		const perItem = seq.ms / SEQUENTIAL_SAMPLE;
		console.log('| way | measured | for 1,000 |');
		console.log('|---|---|---|');
		console.log(
			`| one POST per report (outbox) | ${SEQUENTIAL_SAMPLE} in ${(seq.ms / 1000).toFixed(1)} s (${seq.ok} accepted), ${perItem.toFixed(0)} ms each | ≈ ${((perItem * BATCH) / 1000).toFixed(0)} s (extrapolated) |`
		);
		console.log(
			`| one batched POST | HTTP ${batch.status}, ${batch.results} answers, ${(batch.size / 1000).toFixed(0)} kB sent | ${(batch.ms / 1000).toFixed(1)} s (measured) |`
		);
	} finally {
		if (server) {
			try {
				process.kill(-server.child.pid!, 'SIGTERM');
			} catch {
				// gone
			}
			rmSync(server.dir, { recursive: true, force: true });
		}
	}
}

await main();
