/**
 * Import benchmark: ACLED-shaped CSV files of 100k and 1M rows (BENCH_IMPORT_ROWS=100000 for one size)
 * with 5,000 distinct actors, imported with `terrain import`'s pipeline (parse, validate, stage,
 * one-transaction commit with point-in-polygon placement, actor resolution and the audit entry),
 * against the true floor: `psql \copy` of the same rows into a PLAIN table (no triggers, no RLS,
 * no constraints beyond the columns), then its geometry column filled and a GiST index built.
 * Prints time, rows/s, the ratio, and the peak memory (RSS) of the importing process.
 *
 * PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (a scratch database is created and dropped).
 * PGlite runs the pipeline only (there is no psql for it), for the first size (≤ 200k rows).
 *   npx tsx scripts/bench-import.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PgliteAdapter } from '../src/lib/server/db/pglite.ts';
import { PostgresAdapter } from '../src/lib/server/db/postgres.ts';
import { migrate } from '../src/lib/server/db/migrate.ts';
import type { Adapter, CallerUser } from '../src/lib/server/db/types.ts';
import { mapAreaFeatures } from '../src/lib/server/seed/sources.ts';
import { runImport } from '../src/lib/server/import/pipeline.ts';

const ROOT = join(import.meta.dirname, '..');
const SIZES = (process.env.BENCH_IMPORT_ROWS ?? '100000,1000000')
	.split(',')
	.map(Number)
	.filter((n) => n > 0);
const ACTORS = Number(process.env.BENCH_IMPORT_ACTORS ?? 5000);
const PG_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || '';
const TMP = mkdtempSync(join(tmpdir(), 'terrain-bench-import-'));

const TYPES = [
	'Battles',
	'Explosions/Remote violence',
	'Violence against civilians',
	'Protests',
	'Riots',
	'Strategic developments'
];
const CODES = [
	'battles',
	'explosions_remote_violence',
	'violence_against_civilians',
	'protests',
	'riots',
	'strategic_developments'
];

/** A deterministic pseudo-random generator, so every run loads the same rows. */
function rng(seed: number) {
	let s = seed >>> 0;
	return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** The ACLED file the pipeline reads and the CSV psql \copy loads, row for row the same data. */
async function makeFiles(n: number): Promise<{ acled: string; copy: string }> {
	const acled = join(TMP, `acled-${n}.csv`);
	const copy = join(TMP, `copy-${n}.csv`);
	const a = createWriteStream(acled);
	const c = createWriteStream(copy);
	a.write(
		'event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,actor2,admin1,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities\n'
	);
	const r = rng(42);
	for (let i = 0; i < n; i++) {
		const t = Math.floor(r() * 6);
		const lat = (31 + r() * 6).toFixed(4); // mostly inside Iraq, as an ACLED Iraq export is
		const lon = (41 + r() * 6).toFixed(4);
		const d = new Date(Date.UTC(2015, 0, 1) + Math.floor(r() * 3000) * 86400000)
			.toISOString()
			.slice(0, 10);
		const f = Math.floor(r() * r() * 20);
		const notes = `Synthetic event ${i}: reported clash near the main road, ${f} killed.`;
		const line1 = `IRQB${i},${d},1,${TYPES[t]},,Armed group ${i % ACTORS},,,Place ${i % 997},${lat},${lon},1,Bench,National,"${notes}",${f}\n`;
		const line2 = `bench-copy,IRQB${i},${d},day,${CODES[t]},Place ${i % 997},SRID=4326;POINT(${lon} ${lat}),1,${f},"${notes}",Bench,National,verified,public\n`;
		// One stream at a time: awaiting a 'drain' that already fired would never resolve.
		if (!a.write(line1)) await once(a, 'drain');
		if (!c.write(line2)) await once(c, 'drain');
	}
	a.end();
	c.end();
	await Promise.all([once(a, 'finish'), once(c, 'finish')]);
	return { acled, copy };
}

async function prepare(db: Adapter): Promise<CallerUser> {
	await migrate(db, {
		migrationsDir: join(ROOT, 'supabase', 'migrations'),
		bootstrapSql: readFileSync(join(ROOT, 'src', 'lib', 'server', 'db', 'bootstrap.sql'), 'utf8')
	});
	for (const level of [1, 2, 3] as const) {
		const rows = mapAreaFeatures(
			JSON.parse(
				readFileSync(
					join(ROOT, 'supabase', 'seed', `irq_admbnda_adm${level}_cso_20190603.geojson`),
					'utf8'
				)
			),
			level
		);
		for (let i = 0; i < rows.length; i += 200)
			await db.rpc(
				'private.load_areas',
				{ p_rows: JSON.stringify(rows.slice(i, i + 200)), p_source: 'cod-ab' },
				'service'
			);
	}
	const u = await db.rpc<{ id: string; email: string }>(
		'private.account_upsert',
		{ p_email: 'bench@x.org', p_role: 'analyst', p_display_name: 'bench', p_password_hash: null },
		'service'
	);
	return { id: u.id, email: u.email, role: 'analyst' };
}

async function pipeline(db: Adapter, as: CallerUser, file: string, n: number) {
	let peak = process.memoryUsage().rss;
	const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
	const t = performance.now();
	let commitAt = 0;
	const s = await runImport({
		db,
		as,
		file,
		target: 'incidents',
		source: `bench-${n}`,
		onProgress: (p) => {
			if (p.phase === 'committing' && !commitAt) commitAt = performance.now();
		}
	});
	const ms = performance.now() - t;
	clearInterval(timer);
	if (!s.committed || s.inserted !== n)
		throw new Error(`import failed: ${JSON.stringify({ ...s, problems: s.problems.slice(0, 3) })}`);
	return { ms, readMs: commitAt - t, peakMb: Math.round(peak / 1048576) };
}

function psqlCopy(url: string, file: string): number {
	const t = performance.now();
	const r = spawnSync(
		'psql',
		[
			url,
			'-v',
			'ON_ERROR_STOP=1',
			'-q',
			...[
				'create table bench_floor (upstream_source text, upstream_id text, event_date date, time_precision text, event_type text, location_name text, wkt text, geo_precision int, fatalities int, notes text, source text, source_scale text, status text, confidentiality text);',
				`\\copy bench_floor from '${file}' with (format csv)`,
				'alter table bench_floor add column geom geometry(Point, 4326);',
				'update bench_floor set geom = wkt::geometry;',
				'create index on bench_floor using gist (geom);'
			].flatMap((c) => ['-c', c])
		],
		{ encoding: 'utf8' }
	);
	if (r.status !== 0) throw new Error(`psql \\copy failed: ${r.stderr || r.error}`);
	return performance.now() - t;
}

/** BENCH_IMPORT_PROFILE=1: the SQL functions the import ran, by their own time (PostgreSQL). */
const PROFILE = process.env.BENCH_IMPORT_PROFILE === '1';
const profiled = new Map<number, { name: string; calls: number; total: number; self: number }[]>();

async function functionTimes(url: string) {
	const c = new pg.Client({ connectionString: url });
	await c.connect();
	try {
		const { rows } = await c.query(
			`select schemaname || '.' || funcname as name, calls, total_time as total, self_time as self
			   from pg_stat_user_functions order by self_time desc limit 15`
		);
		return rows as { name: string; calls: number; total: number; self: number }[];
	} finally {
		await c.end();
	}
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en')}/s`;

async function main() {
	console.log(
		`files: ACLED-shaped CSV, sizes ${SIZES.map((n) => n.toLocaleString('en')).join(', ')} rows`
	);
	const files = new Map<number, { acled: string; copy: string }>();
	for (const n of SIZES) {
		files.set(n, await makeFiles(n));
		console.log(
			`  ${n.toLocaleString('en')} rows: ${(statSync(files.get(n)!.acled).size / 1048576).toFixed(1)} MB`
		);
	}

	if (PG_URL) {
		// Each load starts from the same state: a template with the schema and COD-AB areas, copied
		// into a fresh database for every (size, method), so neither method pays for the other's rows.
		const admin = new pg.Client({ connectionString: PG_URL });
		await admin.connect();
		const tpl = `terrain_bench_tpl_${process.pid}`;
		const urlOf = (name: string) => {
			const u = new URL(PG_URL);
			u.pathname = `/${name}`;
			return u.toString();
		};
		const made: string[] = [tpl];
		try {
			await admin.query(`create database ${tpl}`);
			const t = await PostgresAdapter.open(urlOf(tpl));
			const as = await prepare(t);
			await t.close();
			const fresh = async (what: string) => {
				const name = `terrain_bench_${what}_${process.pid}`;
				await admin.query(`create database ${name} template ${tpl}`);
				made.push(name);
				return name;
			};
			console.log('\n## PostgreSQL + PostGIS');
			console.log(
				'| rows | terrain import | of which read + stage / commit | rate | psql \\copy | rate | ratio | peak RSS (import) |'
			);
			console.log('|---|---|---|---|---|---|---|---|');
			for (const n of SIZES) {
				const { acled, copy } = files.get(n)!;
				const dbName = await fresh(`import_${n}`);
				if (PROFILE) await admin.query(`alter database ${dbName} set track_functions = 'all'`);
				const db = await PostgresAdapter.open(urlOf(dbName));
				const p = await pipeline(db, as, acled, n);
				await db.close();
				if (PROFILE) profiled.set(n, await functionTimes(urlOf(dbName)));
				const c = psqlCopy(urlOf(await fresh(`copy_${n}`)), copy);
				console.log(
					`| ${n.toLocaleString('en')} | ${fmt(p.ms)} | ${fmt(p.readMs)} / ${fmt(p.ms - p.readMs)} | ${rate(n, p.ms)} | ${fmt(c)} | ${rate(n, c)} | ${(p.ms / c).toFixed(1)}× | ${p.peakMb} MB |`
				);
			}
			for (const [n, rows] of profiled) {
				console.log(
					`\n### Where the commit's time went, ${n.toLocaleString('en')} rows (pg_stat_user_functions)`
				);
				console.log('| function | calls | total | self |');
				console.log('|---|---|---|---|');
				for (const r of rows)
					console.log(`| ${r.name} | ${r.calls} | ${fmt(r.total)} | ${fmt(r.self)} |`);
			}
		} finally {
			for (const name of made.reverse())
				await admin.query(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
	} else {
		console.log(
			'\n(no BENCH_DATABASE_URL / TEST_DATABASE_URL: PostgreSQL and the psql \\copy comparison are skipped)'
		);
	}

	// PGlite runs the smallest size only, and not past 200k rows (≈190 rows/s: 1M would take hours)
	// unless BENCH_IMPORT_PGLITE=1.
	const n = SIZES[0];
	if (n > 200_000 && process.env.BENCH_IMPORT_PGLITE !== '1') return;
	const db = await PgliteAdapter.open(undefined);
	try {
		const as = await prepare(db);
		const p = await pipeline(db, as, files.get(n)!.acled, n);
		console.log(
			`\n## PGlite (embedded): ${n.toLocaleString('en')} rows in ${fmt(p.ms)} (read + stage ${fmt(p.readMs)}, commit ${fmt(p.ms - p.readMs)}; ${rate(n, p.ms)}), peak RSS ${p.peakMb} MB`
		);
	} finally {
		await db.close();
	}
}

main()
	.catch((e) => {
		console.error(e);
		process.exitCode = 1;
	})
	.finally(() => rmSync(TMP, { recursive: true, force: true }));
