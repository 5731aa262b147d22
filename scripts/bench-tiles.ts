/**
 * B2 and B3 of issue #13, on PostgreSQL + PostGIS with synthetic incidents (app | peer | ratio):
 *   B2  the tile endpoint (GET /api/v1/tiles/incidents/{z}/{x}/{y}.mvt, the route handler called
 *       in-process as an analyst: session role, RLS, ETag, incident_tile_mvt) against a raw
 *       ST_AsMVT(ST_AsMVTGeom(…)) of the same tile's incidents run as the owner; p50/p95 over the
 *       tiles around Baghdad, Mosul and Basra at z6, z9, z10, z12 and z14, and at z6 and z10 for
 *       a year that starts and ends inside a month (2016-07-11 – 2017-07-10). (Aggregated tiles
 *       send grid cells, the peer every point: the sizes are printed too.)
 *   B3  proximity (incidents_proximity, 10 km of a point, 365 days, as an analyst) against a raw
 *       ST_DWithin on the geography index, as the owner.
 *
 *   BENCH_DATABASE_URL=postgres://…/db npx tsx scripts/bench-tiles.ts [N]
 * BENCH_TILES_RUNS (default 15) sets the timed runs per case; BENCH_TILES_ONLY=B3 skips B2 (a
 * minute instead of seven at 807k incidents, for alternating two builds' proximity on one
 * database).
 * The database is migrated; when it holds fewer than N incidents (default 200,000) the demo data
 * and synthetic incidents are added first. Timings are printed, never asserted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestEvent } from '@sveltejs/kit';
import { PostgresAdapter } from '../src/lib/server/db/postgres.ts';
import { migrate } from '../src/lib/server/db/migrate.ts';
import { setDb } from '../src/lib/server/db/index.ts';
import type { Adapter, CallerUser } from '../src/lib/server/db/types.ts';
import { seedDemo, seedSynthetic } from '../src/lib/server/seed/index.ts';
import { GET as tileGet } from '../src/routes/api/v1/tiles/incidents/[z]/[x]/[y].mvt/+server.ts';

const ROOT = join(import.meta.dirname, '..');
const N = Number(process.argv[2] ?? 200_000);
const URL_ = process.env.BENCH_DATABASE_URL;
/** Timed runs per tile and place (BENCH_TILES_RUNS): at 3M incidents one raw z6 ST_AsMVT takes ~20 s. */
const RUNS = Number(process.env.BENCH_TILES_RUNS ?? 15);

const PLACES: [string, number, number][] = [
	['Baghdad', 44.36, 33.31],
	['Mosul', 43.13, 36.34],
	['Basra', 47.78, 30.5]
];

function tileOf(lon: number, lat: number, z: number): [number, number] {
	const n = 2 ** z;
	const r = (lat * Math.PI) / 180;
	return [
		Math.floor(((lon + 180) / 360) * n),
		Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)
	];
}

function pct(ts: number[], p: number): number {
	const s = [...ts].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function timed(f: () => Promise<unknown>): Promise<number> {
	const t = performance.now();
	await f();
	return performance.now() - t;
}

/** A year that starts and ends inside a month: whole months from the rollup, edge days scanned. */
const YEAR = ['2016-07-11', '2017-07-10'];

async function tileBytes(
	user: CallerUser,
	z: number,
	x: number,
	y: number,
	dated: boolean
): Promise<number> {
	const q = dated ? `?from=${YEAR[0]}&to=${YEAR[1]}` : '';
	const url = new URL(`http://bench/api/v1/tiles/incidents/${z}/${x}/${y}.mvt${q}`);
	const event = {
		url,
		request: new Request(url),
		params: { z: String(z), x: String(x), y: String(y) },
		locals: { user, authVia: 'token', locale: 'en' },
		route: { id: null }
	} as unknown as RequestEvent;
	const r = await (tileGet as unknown as (e: RequestEvent) => Promise<Response>)(event);
	if (r.status !== 200) throw new Error(`tile ${z}/${x}/${y}: ${r.status} ${await r.text()}`);
	return (await r.arrayBuffer()).byteLength;
}

const RAW_TILE = `
  select st_asmvt(t, 'incidents', 4096, 'geom') as mvt from (
    select st_asmvtgeom(st_transform(i.geom, 3857), st_tileenvelope($1, $2, $3), 4096, 0, false) as geom,
           i.id::text as id, i.event_type, i.fatalities
    from public.incidents i
    where i.geom && st_transform(st_tileenvelope($1, $2, $3), 4326)
      and ($4::date is null or i.event_date between $4::date and $5::date)
  ) t`;

const RAW_PROXIMITY = `
  select i.id, st_distance(i.geom::geography, p.g) as m
  from public.incidents i, (select st_setsrid(st_makepoint($1, $2), 4326)::geography as g) p
  where st_dwithin(i.geom::geography, p.g, 10000)
    and i.event_date between date '2017-07-10' - 364 and date '2017-07-10'
  order by m limit 500`;

async function main() {
	if (!URL_) {
		console.log('bench-tiles: set BENCH_DATABASE_URL to a PostgreSQL database (ST_AsMVT); skipped');
		return;
	}
	const db: Adapter = await PostgresAdapter.open(URL_);
	setDb(db);
	await migrate(db, {
		migrationsDir: join(ROOT, 'supabase', 'migrations'),
		bootstrapSql: readFileSync(join(ROOT, 'src', 'lib', 'server', 'db', 'bootstrap.sql'), 'utf8')
	});
	const count = async () =>
		(await db.queryOwner<{ n: number }>('select count(*)::int as n from public.incidents'))[0].n;
	if ((await count()) === 0) await seedDemo(db, { seedDir: join(ROOT, 'supabase', 'seed') });
	const have = await count();
	// A database grown a second time gets new incidents: the seed names them (s<seed>-<i>), and
	// seed 1 again would re-send the first ones, already there. One holding only the demo data
	// (7,473 incidents) takes seed 1, so that every fresh run of a size loads the same rows.
	if (have < N) await seedSynthetic(db, N - have, { seed: have < 10_000 ? 1 : have });
	await db.execOwner('analyze public.incidents');
	const u = await db.rpc<{ id: string; email: string }>(
		'private.account_upsert',
		{ p_email: 'bench-tiles@x.org', p_role: 'analyst', p_display_name: '', p_password_hash: null },
		'service'
	);
	const analyst: CallerUser = { id: u.id, email: u.email, role: 'analyst' };
	const [{ cores, version }] = await db.queryOwner<{ cores: string; version: string }>(
		`select current_setting('max_parallel_workers_per_gather') as cores, version() as version`
	);
	console.log(`\n## B2/B3 on ${(await count()).toLocaleString('en')} incidents`);
	console.log(`${version.split(',')[0]}; max_parallel_workers_per_gather=${cores}\n`);

	console.log('### B2 tiles (ms; app = endpoint as analyst, peer = raw ST_AsMVT as owner)\n');
	console.log(
		'| zoom | tiles | app p50 | app p95 | peer p50 | peer p95 | ratio p50 | ratio p95 | app KB (max) | peer KB (max) |'
	);
	console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
	const rows: [number, boolean][] = [6, 9, 10, 12, 14].map((z) => [z, false]);
	rows.push([6, true], [10, true]);
	if (process.env.BENCH_TILES_ONLY === 'B3') rows.length = 0;
	for (const [z, dated] of rows) {
		const args = (x: number, y: number) => [z, x, y, dated ? YEAR[0] : null, YEAR[1]];
		const tiles = PLACES.map(([, lon, lat]) => tileOf(lon, lat, z));
		const app: number[] = [];
		const peer: number[] = [];
		let appKb = 0;
		let peerKb = 0;
		for (const [x, y] of tiles) {
			appKb = Math.max(appKb, (await tileBytes(analyst, z, x, y, dated)) / 1024);
			const r = await db.queryOwner<{ mvt: Buffer }>(RAW_TILE, args(x, y));
			peerKb = Math.max(peerKb, (r[0]?.mvt?.length ?? 0) / 1024);
			for (let i = 0; i < RUNS; i++) {
				app.push(await timed(() => tileBytes(analyst, z, x, y, dated)));
				peer.push(await timed(() => db.queryOwner(RAW_TILE, args(x, y))));
			}
		}
		const [a50, a95, p50, p95] = [pct(app, 50), pct(app, 95), pct(peer, 50), pct(peer, 95)];
		console.log(
			`| z${z}${dated ? ' 1 year' : ''} | ${tiles.length} | ${a50.toFixed(1)} | ${a95.toFixed(1)} | ${p50.toFixed(1)} | ${p95.toFixed(1)} | ${(a50 / p50).toFixed(2)}× | ${(a95 / p95).toFixed(2)}× | ${appKb.toFixed(0)} | ${peerKb.toFixed(0)} |`
		);
	}

	console.log('\n### B3 proximity, 10 km of a point, 365 days to 2017-07-10 (ms)\n');
	console.log('| place | app p50 | app p95 | peer p50 | peer p95 | ratio p50 | ratio p95 |');
	console.log('|---|---:|---:|---:|---:|---:|---:|');
	for (const [name, lon, lat] of PLACES) {
		const args = {
			p_km: 10,
			p_days: 365,
			p_as_of: '2017-07-10',
			p_geometry: { type: 'Point', coordinates: [lon, lat] }
		};
		await db.rpc('incidents_proximity', args, analyst);
		await db.queryOwner(RAW_PROXIMITY, [lon, lat]);
		const app: number[] = [];
		const peer: number[] = [];
		for (let i = 0; i < RUNS; i++) {
			app.push(await timed(() => db.rpc('incidents_proximity', args, analyst)));
			peer.push(await timed(() => db.queryOwner(RAW_PROXIMITY, [lon, lat])));
		}
		const [a50, a95, p50, p95] = [pct(app, 50), pct(app, 95), pct(peer, 50), pct(peer, 95)];
		console.log(
			`| ${name} | ${a50.toFixed(1)} | ${a95.toFixed(1)} | ${p50.toFixed(1)} | ${p95.toFixed(1)} | ${(a50 / p50).toFixed(2)}× | ${(a95 / p95).toFixed(2)}× |`
		);
	}
	await db.close();
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
