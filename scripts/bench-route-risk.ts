/**
 * Route-risk benchmark (issue 11): public.route_risk for a ~200 km road (Erbil → Mosul → Tal Afar →
 * Sinjar) at N synthetic incidents (default 1M) on PostgreSQL + PostGIS, side by side with the floor:
 * the raw ST_DWithin count on a plain table (id, event_date, geography) with a GiST index on the
 * geography, run as the owner (no RLS, no function, no jsonb, no checkpoints/areas/stops). The
 * target is route_risk ≤ 2× the floor. Two windows: the default (the last 90 days of the data)
 * and every year (the whole table, the worst case). Medians of 5 runs after one warm run; the
 * counts of both must be equal (a bench that counts differently measures nothing).
 *   npx tsx scripts/bench-route-risk.ts [N]          (npm run bench route-risk)
 *   BENCH_DATABASE_URL or TEST_DATABASE_URL: the PostgreSQL server (a scratch database is made)
 *   BENCH_ENGINES=pglite,postgres also runs PGlite (default: postgres only)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onEachEngine } from './on-each-engine.ts';
import { migrate } from '../src/lib/server/db/migrate.ts';
import type { Adapter, CallerUser } from '../src/lib/server/db/types.ts';
import { seedDemo, seedSynthetic } from '../src/lib/server/seed/index.ts';

const ROOT = join(import.meta.dirname, '..');
const N = Number(process.argv[2] ?? 1_000_000);
const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres').split(',');
const ROUTE = {
	type: 'LineString',
	coordinates: [
		[44.009, 36.191],
		[43.75, 36.25],
		[43.4, 36.3],
		[43.13, 36.34],
		[42.8, 36.37],
		[42.45, 36.38],
		[42.15, 36.35],
		[41.87, 36.32]
	]
};
const KM = 5;

async function median(f: () => Promise<unknown>, runs = 5): Promise<[number, unknown]> {
	await f();
	const ts: number[] = [];
	let last: unknown;
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		last = await f();
		ts.push(performance.now() - t);
	}
	ts.sort((a, b) => a - b);
	return [ts[Math.floor(runs / 2)], last];
}

async function run(name: string, db: Adapter) {
	await migrate(db, {
		migrationsDir: join(ROOT, 'supabase', 'migrations'),
		bootstrapSql: readFileSync(join(ROOT, 'src', 'lib', 'server', 'db', 'bootstrap.sql'), 'utf8')
	});
	await seedDemo(db, { seedDir: join(ROOT, 'supabase', 'seed') });
	const t = performance.now();
	await seedSynthetic(db, N);
	console.log(
		`\n## ${name}\n${N.toLocaleString('en')} synthetic incidents loaded in ${((performance.now() - t) / 1000).toFixed(0)} s`
	);
	await db.execOwner(`
		drop table if exists bench_points;
		create table bench_points as select id, event_date, geom::geography as geog from public.incidents;
		create index on bench_points using gist (geog);
		analyze bench_points; analyze public.incidents;`);
	const u = await db.rpc<{ id: string; email: string }>(
		'private.account_upsert',
		{ p_email: 'bench-route@x.org', p_role: 'analyst', p_display_name: '', p_password_hash: null },
		'service'
	);
	const analyst: CallerUser = { id: u.id, email: u.email, role: 'analyst' };
	const [{ total, lo, hi, km }] = await db.queryOwner<{
		total: number;
		lo: string;
		hi: string;
		km: number;
	}>(
		`select count(*)::int as total, min(event_date)::text as lo, max(event_date)::text as hi,
		        round((st_length(st_geomfromgeojson($1)::geography) / 1000)::numeric, 1)::float8 as km
		 from public.incidents`,
		[JSON.stringify(ROUTE)]
	);
	const d90 = new Date(Date.parse(hi) - 89 * 86400_000).toISOString().slice(0, 10);
	console.log(
		`${total.toLocaleString('en')} incidents in all, ${lo} to ${hi}; route ${km} km, corridor ${KM} km\n`
	);
	console.log(
		'| window | in corridor | route_risk ms (analyst, RLS, jsonb) | raw ST_DWithin ms (plain table) | ratio |'
	);
	console.log('|---|---:|---:|---:|---:|');
	for (const [label, from, to] of [
		['last 90 days of data', d90, hi],
		['every year', lo, hi]
	]) {
		const [app, risk] = await median(() =>
			db.rpc<{ incidents: { total: number } }>(
				'route_risk',
				{ p_route: ROUTE, p_corridor_km: KM, p_from: from, p_to: to, p_list_limit: 200 },
				analyst
			)
		);
		const floorSql = `select count(*)::int as n from bench_points
		                  where event_date between '${from}' and '${to}'
		                    and st_dwithin(geog, st_geomfromgeojson('${JSON.stringify(ROUTE)}')::geography, ${KM * 1000})`;
		const [floor, rows] = await median(() => db.queryOwner<{ n: number }>(floorSql));
		const n = (risk as { incidents: { total: number } }).incidents.total;
		const m = (rows as { n: number }[])[0].n;
		if (n !== m) console.log(`!! counts differ: route_risk ${n}, floor ${m}`);
		console.log(
			`| ${label} | ${n.toLocaleString('en')} | ${app.toFixed(1)} | ${floor.toFixed(1)} | ${(app / Math.max(floor, 0.1)).toFixed(2)}× |`
		);
	}
}

await onEachEngine('terrain_bench_route', ENGINES, run);
