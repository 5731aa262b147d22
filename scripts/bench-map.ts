/**
 * Map benchmark: how fast the map's SQL answers with N synthetic incidents (default 100k), on
 * PGlite and — with BENCH_DATABASE_URL or TEST_DATABASE_URL — on PostgreSQL + PostGIS.
 * Prints per query the median time over 5 runs and the response size the browser would get.
 *   npx tsx scripts/bench-map.ts [N]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onEachEngine } from './on-each-engine.ts';
import { migrate } from '../src/lib/server/db/migrate.ts';
import type { Adapter, CallerUser } from '../src/lib/server/db/types.ts';
import { seedDemo, seedSynthetic } from '../src/lib/server/seed/index.ts';

const ROOT = join(import.meta.dirname, '..');
const N = Number(process.argv[2] ?? 100_000);

const VIEWS: Record<string, Record<string, unknown>> = {
	'Iraq (zoom 6), all types': { p_west: 38.5, p_south: 29, p_east: 49, p_north: 37.5 },
	'Iraq, battles in 2014': {
		p_west: 38.5,
		p_south: 29,
		p_east: 49,
		p_north: 37.5,
		p_types: ['battles'],
		p_from: '2014-01-01',
		p_to: '2014-12-31'
	},
	'Mosul (zoom 11)': { p_west: 43.0, p_south: 36.28, p_east: 43.3, p_north: 36.42 },
	'Ninewa governorate filter': {
		p_west: 38.5,
		p_south: 29,
		p_east: 49,
		p_north: 37.5,
		p_area: ['IQG15']
	}
};

async function time<T>(f: () => Promise<T>): Promise<[number, T]> {
	const t = performance.now();
	const r = await f();
	return [performance.now() - t, r];
}

async function median(f: () => Promise<unknown>, runs = 5): Promise<[number, unknown]> {
	const ts: number[] = [];
	let last: unknown;
	for (let i = 0; i < runs; i++) {
		const [ms, r] = await time(f);
		ts.push(ms);
		last = r;
	}
	ts.sort((a, b) => a - b);
	return [ts[Math.floor(runs / 2)], last];
}

async function bench(name: string, db: Adapter) {
	console.log(`\n## ${name}: ${N.toLocaleString('en')} synthetic incidents + demo data`);
	await migrate(db, {
		migrationsDir: join(ROOT, 'supabase', 'migrations'),
		bootstrapSql: readFileSync(join(ROOT, 'src', 'lib', 'server', 'db', 'bootstrap.sql'), 'utf8')
	});
	const [seedMs] = await time(() => seedDemo(db, { seedDir: join(ROOT, 'supabase', 'seed') }));
	const [synthMs] = await time(() => seedSynthetic(db, N));
	console.log(
		`load: demo ${(seedMs / 1000).toFixed(1)} s, synthetic ${(synthMs / 1000).toFixed(1)} s`
	);
	const u = await db.rpc<{ id: string; email: string }>(
		'private.account_upsert',
		{ p_email: 'bench@x.org', p_role: 'analyst', p_display_name: '', p_password_hash: null },
		'service'
	);
	const analyst: CallerUser = { id: u.id, email: u.email, role: 'analyst' };

	console.log('| query | median ms | total matched | points sent | response KB |');
	console.log('|---|---|---|---|---|');
	for (const [label, args] of Object.entries(VIEWS)) {
		const [ms, r] = await median(() =>
			db.rpc('incidents_map', { ...args, p_limit: 20000 }, analyst)
		);
		const m = r as { total: number; points: unknown[] };
		console.log(
			`| map: ${label} | ${ms.toFixed(0)} | ${m.total} | ${m.points.length} | ${(JSON.stringify(r).length / 1024).toFixed(0)} |`
		);
	}
	for (const cell of [0.25, 0.05]) {
		const [ms, r] = await median(() =>
			db.rpc('incidents_density', { ...VIEWS['Iraq (zoom 6), all types'], p_cell: cell }, analyst)
		);
		const cells = r as unknown[];
		console.log(
			`| density: Iraq, cell ${cell}° | ${ms.toFixed(0)} | — | ${cells.length} cells | ${(JSON.stringify(r).length / 1024).toFixed(0)} |`
		);
	}
	console.log(`rss: ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
}

await onEachEngine('terrain_bench_map', ['pglite', 'postgres'], bench);
