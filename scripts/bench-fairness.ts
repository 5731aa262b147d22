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
import pg from 'pg';

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

/** Where the data is: the embedded data directory, or DATABASE_URL. */
type Where = { TERRAIN_DATA_DIR: string } | { DATABASE_URL: string };

function terrain(args: string[], where: Where): string {
	const r = spawnSync(process.execPath, [CLI, ...args], {
		cwd: ROOT,
		env: env(where),
		encoding: 'utf8'
	});
	if (r.status !== 0) throw new Error(`terrain ${args.join(' ')}: ${r.stderr}`);
	return r.stdout;
}

/** Migrate, the demo data + N synthetic incidents, a viewer; returns the viewer's API token. */
function prepare(where: Where): string {
	terrain(['migrate'], where);
	terrain(['seed'], where); // the demo data: areas (synthetic incidents need them) and UCDP
	terrain(['seed', '--synthetic', String(INCIDENTS)], where);
	terrain(['user', 'add', '--email', 'bench.viewer@example.org', '--role', 'viewer'], where);
	return terrain(['token', 'create', '--user', 'bench.viewer@example.org'], where).trim();
}

async function serve(where: Where, extra: Record<string, string>) {
	const child = spawn(process.execPath, [CLI, 'serve'], {
		cwd: ROOT,
		env: env({
			...where,
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
	const map: number[] = [];
	const browse = async () => {
		while (performance.now() < until) {
			const t = performance.now();
			const r = await fetch(`${url}/api/v1/map/incidents?${IRAQ}`, { headers });
			await r.arrayBuffer();
			map.push(performance.now() - t);
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
	return { me, still, map, mapPerSecond: mapCalls / seconds };
}

const KEEP = argText('data');
const PG = argText('postgres');
const ONLY_PG = process.argv.includes('--only-postgres');
const dir = KEEP ? null : mkdtempSync(join(tmpdir(), 'terrain-bench-fair-'));
const dataDir = KEEP ?? join(dir!, 'data');

/** The bench's own database on the PostgreSQL server at `url`, prepared once and kept. */
async function postgresDatabase(url: string): Promise<{ where: Where; token: string }> {
	const name = 'terrain_bench_fair';
	const admin = new pg.Client({ connectionString: url });
	await admin.connect();
	try {
		const u = new URL(url);
		u.pathname = `/${name}`;
		const where = { DATABASE_URL: u.toString() };
		const tokenFile = join(tmpdir(), `${name}.${INCIDENTS}.token`);
		const exists = (await admin.query('select 1 from pg_database where datname = $1', [name]))
			.rowCount;
		if (exists && existsSync(tokenFile)) {
			console.log(`reusing database ${name}`);
			return { where, token: readFileSync(tokenFile, 'utf8').trim() };
		}
		await admin.query(`drop database if exists ${name} with (force)`);
		await admin.query(`create database ${name}`);
		console.log(`preparing database ${name} on PostgreSQL: the same data…`);
		const token = prepare(where);
		writeFileSync(tokenFile, token);
		return { where, token };
	} finally {
		await admin.end();
	}
}

try {
	const rows: [string, string, string, string][] = [];
	// The default (PGlite in a worker thread, fast lane and session cache on), and with --compare
	// what each part buys; with --postgres the same on PostgreSQL.
	const runs: [string, Where, string, Record<string, string>][] = [];
	if (!ONLY_PG) {
		let token: string;
		const where = { TERRAIN_DATA_DIR: dataDir };
		if (KEEP && existsSync(`${KEEP}.token`)) {
			token = readFileSync(`${KEEP}.token`, 'utf8').trim();
			console.log(`reusing ${dataDir}`);
		} else {
			console.log(
				`preparing ${dataDir}: migrate, demo data + ${INCIDENTS} synthetic incidents, a viewer…`
			);
			token = prepare(where);
			if (KEEP) writeFileSync(`${KEEP}.token`, token);
		}
		runs.push(['embedded: worker, fast lane, session cache', where, token, {}]);
		if (COMPARE) {
			runs.push(['embedded: session cache off', where, token, { TERRAIN_AUTH_CACHE: 'off' }]);
			runs.push(['embedded: in-process', where, token, { TERRAIN_PGLITE_WORKER: 'off' }]);
			runs.push([
				'embedded: fast lane and cache off',
				where,
				token,
				{ TERRAIN_FAST_LANE: 'off', TERRAIN_AUTH_CACHE: 'off' }
			]);
		}
	}
	if (PG) {
		const { where, token } = await postgresDatabase(PG);
		runs.push(['PostgreSQL (DATABASE_URL)', where, token, {}]);
	}
	for (const [label, where, token, variantEnv] of runs) {
		const s = await serve(where, variantEnv);
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
				`map call p50 / p99, ${CLIENTS} clients (${label})`,
				`${pct(busy.map, 50).toFixed(0)} / ${pct(busy.map, 99).toFixed(0)} ms`,
				'',
				''
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
