/**
 * Fairness of the embedded engine (issue 16 point 5): how long `/api/v1/me` takes while 20
 * clients browse the map, against the same call on an idle server. Target: p99 < 300 ms.
 * PGlite runs one call at a time, in a worker thread so the server's event loop stays free
 * (src/lib/server/db/pglite-remote.ts); cheap calls (session look-up, /me) take a fast lane ahead
 * of queued map calls (src/lib/server/db/lanes.ts). With `--compare`, the same load is also run
 * with TERRAIN_PGLITE_WORKER=off and with TERRAIN_FAST_LANE=off to show what each part buys.
 *
 *   npx tsx scripts/bench-fairness.ts [--incidents 20000] [--seconds 20] [--clients 20] [--compare]
 *                                     [--data DIR] [--root CHECKOUT]
 *
 * It builds a temporary data directory (migrate, the demo data + N synthetic incidents, a viewer and its API
 * token) and starts `terrain serve` on it; needs the built app (npm run build). `--data DIR` keeps
 * that directory (and its token in DIR.token) and reuses it on the next run, so a before/after
 * pair measures the same data without minutes of preparation each; `--root` runs another checkout's
 * `terrain` (the "before" build) with this script.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const argText = (name: string) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : undefined;
};
const ROOT = argText('root') ?? join(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'terrain.js');
const arg = (name: string, fallback: number) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const INCIDENTS = arg('incidents', 20_000);
const SECONDS = arg('seconds', 20);
const CLIENTS = arg('clients', 20);
const COMPARE = process.argv.includes('--compare');
const IRAQ = 'bbox=38.5,29,49,37.5';

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
	const e = { ...process.env };
	for (const k of ['DATABASE_URL', 'SUPABASE_URL', 'SUPABASE_ANON_KEY', 'PORT', 'HOST'])
		delete e[k];
	return { ...e, ...extra };
}

function terrain(args: string[], dataDir: string): string {
	const r = spawnSync(process.execPath, [CLI, ...args], {
		cwd: ROOT,
		env: env({ TERRAIN_DATA_DIR: dataDir }),
		encoding: 'utf8'
	});
	if (r.status !== 0) throw new Error(`terrain ${args.join(' ')}: ${r.stderr}`);
	return r.stdout;
}

async function serve(dataDir: string, extra: Record<string, string>) {
	const child = spawn(process.execPath, [CLI, 'serve'], {
		cwd: ROOT,
		env: env({
			TERRAIN_DATA_DIR: dataDir,
			TERRAIN_DEMO_DATA: 'off',
			PORT: '0',
			HOST: '127.0.0.1',
			TERRAIN_ADMIN_EMAIL: 'bench.admin@example.org',
			TERRAIN_ADMIN_PASSWORD: 'bench admin password',
			...extra
		}),
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const url = await new Promise<string>((resolve, reject) => {
		let out = '';
		child.stdout.setEncoding('utf8').on('data', (d: string) => {
			out += d;
			const m = /Terrain is ready in [\d.]+ s: (http:\/\/\S+)/.exec(out);
			if (m) resolve(m[1]);
		});
		child.once('exit', (c) => reject(new Error(`serve exited ${c}\n${out}`)));
	});
	return {
		url,
		stop: () =>
			new Promise<void>((r) => {
				child.once('exit', () => r());
				child.kill('SIGTERM');
			})
	};
}

const pct = (xs: number[], p: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

async function measure(url: string, token: string, clients: number, seconds: number) {
	const headers = { authorization: `Bearer ${token}` };
	const until = performance.now() + seconds * 1000;
	let mapCalls = 0;
	const browse = async () => {
		while (performance.now() < until) {
			const r = await fetch(`${url}/api/v1/map/incidents?${IRAQ}`, { headers });
			await r.arrayBuffer();
			mapCalls++;
		}
	};
	const me: number[] = [];
	const probe = async () => {
		while (performance.now() < until) {
			const t = performance.now();
			const r = await fetch(`${url}/api/v1/me`, { headers });
			await r.arrayBuffer();
			if (r.status !== 200) throw new Error(`/me answered ${r.status}`);
			me.push(performance.now() - t);
			await new Promise((d) => setTimeout(d, 100));
		}
	};
	// A request that needs no database call: it waits only when the event loop is held.
	const still: number[] = [];
	const staticProbe = async () => {
		while (performance.now() < until) {
			const t = performance.now();
			const r = await fetch(`${url}/favicon.svg`);
			await r.arrayBuffer();
			still.push(performance.now() - t);
			await new Promise((d) => setTimeout(d, 100));
		}
	};
	await Promise.all([...Array.from({ length: clients }, browse), probe(), staticProbe()]);
	return { me, still, mapPerSecond: mapCalls / seconds };
}

const KEEP = argText('data');
const dir = KEEP ? null : mkdtempSync(join(tmpdir(), 'terrain-bench-fair-'));
const dataDir = KEEP ?? join(dir!, 'data');
try {
	let token: string;
	if (KEEP && existsSync(`${KEEP}.token`)) {
		token = readFileSync(`${KEEP}.token`, 'utf8').trim();
		console.log(`reusing ${dataDir}`);
	} else {
		console.log(
			`preparing ${dataDir}: migrate, demo data + ${INCIDENTS} synthetic incidents, a viewer…`
		);
		terrain(['migrate'], dataDir);
		terrain(['seed'], dataDir); // the demo data: areas (synthetic incidents need them) and UCDP
		terrain(['seed', '--synthetic', String(INCIDENTS)], dataDir);
		terrain(['user', 'add', '--email', 'bench.viewer@example.org', '--role', 'viewer'], dataDir);
		token = terrain(['token', 'create', '--user', 'bench.viewer@example.org'], dataDir).trim();
		if (KEEP) writeFileSync(`${KEEP}.token`, token);
	}

	const rows: [string, string, string, string][] = [];
	// The default (PGlite in a worker thread, fast lane on), and with --compare what each part buys.
	const variants: [string, Record<string, string>][] = [['worker, fast lane on', {}]];
	if (COMPARE) {
		variants.push(['in-process, fast lane on', { TERRAIN_PGLITE_WORKER: 'off' }]);
		variants.push(['worker, fast lane off', { TERRAIN_FAST_LANE: 'off' }]);
	}
	for (const [label, variantEnv] of variants) {
		const s = await serve(dataDir, variantEnv);
		try {
			await measure(s.url, token, 1, 2); // warm up
			const idle = await measure(s.url, token, 0, Math.min(10, SECONDS));
			const busy = await measure(s.url, token, CLIENTS, SECONDS);
			// The machine is shared: the load average says how comparable two runs are.
			console.log(
				`load average after the ${label} run: ${loadavg()
					.map((l) => l.toFixed(2))
					.join(', ')}`
			);
			for (const p of [50, 95, 99]) {
				const a = pct(busy.me, p);
				const b = pct(idle.me, p);
				rows.push([
					`/me p${p}, ${CLIENTS} map clients (${label})`,
					`${a.toFixed(0)} ms`,
					`${b.toFixed(0)} ms idle`,
					`${(a / b).toFixed(1)}×`
				]);
			}
			rows.push([
				`/favicon.svg p99, ${CLIENTS} map clients (${label})`,
				`${pct(busy.still, 99).toFixed(0)} ms`,
				`${pct(idle.still, 99).toFixed(0)} ms idle`,
				`${(pct(busy.still, 99) / pct(idle.still, 99)).toFixed(1)}×`
			]);
			rows.push([
				`map calls/s, ${CLIENTS} clients (${label})`,
				busy.mapPerSecond.toFixed(2),
				'',
				''
			]);
		} finally {
			await s.stop();
		}
	}
	console.log(
		`\n${INCIDENTS} incidents, ${CLIENTS} clients calling /api/v1/map/incidents?${IRAQ} for ${SECONDS} s, /me every 100 ms; target /me p99 < 300 ms`
	);
	console.log('| app | peer | ratio |'.padStart(0));
	console.table(rows.map(([what, app, peer, ratio]) => ({ what, app, peer, ratio })));
} finally {
	if (dir) rmSync(dir, { recursive: true, force: true });
}
