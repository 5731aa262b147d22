/**
 * Vector tiles of incidents (GET /api/v1/tiles/incidents/{z}/{x}/{y}.mvt) on the demo data, on
 * PGlite (JS-encoded) and PostgreSQL (ST_AsMVT): a decoded tile holds exactly the filter's
 * incidents in its bounds, the z6 tiles' counts add up to /incidents/counts, a viewer's tiles
 * hold nothing restricted or unverified, and the ETag follows writes. Aggregated tiles (z ≤ 8)
 * read the cell rollup (31_incident_cells.sql): it stays equal to a fresh GROUP BY of the
 * incidents after every kind of write, and its tiles are the scan's cells.
 */

/** The cell rollup recomputed from the incidents, and as kept: z8 per month, year and all, z10 and z12 all. */
const CELLS_FRESH = `select l.level, ((c.px >> l.px_shift) / l.cell)::int as cx, ((c.py >> l.px_shift) / l.cell)::int as cy,
         p.period, p.day::text as day, i.event_type, i.admin1_pcode, i.admin2_pcode, i.status, i.confidentiality,
         c.point_kind, count(*)::int as incidents, coalesce(sum(i.fatalities), 0)::int as fatalities,
         count(i.fatalities)::int as known, sum(c.px >> l.px_shift)::text as sx, sum(c.py >> l.px_shift)::text as sy
  from public.incidents i
  cross join lateral public.incident_cells(i.lon, i.lat, i.lon_coarse, i.lat_coarse, i.geom_coarse is not null) c
  cross join (values (8, 4, 64), (10, 2, 32), (12, 0, 32)) l (level, px_shift, cell)
  cross join lateral (values ('month', date_trunc('month', i.event_date)::date),
                             ('year', date_trunc('year', i.event_date)::date), ('all', null)) p (period, day)
  where l.level = 8 or p.period = 'all'
  group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11`;
const CELLS_KEPT = `select level, cx, cy, period, day::text as day, event_type, admin1_pcode, admin2_pcode, status,
         confidentiality, point_kind, incidents::int, fatalities::int, fatalities_known::int as known,
         sum_px::text as sx, sum_py::text as sy
  from public.incident_cell_rollup`;

/**
 * What the scan gives for an aggregated tile (incident_tile_rows before the rollup), for the
 * caller's exact points: per cell ($6 px) the count, the fatalities, the most frequent type and
 * the mean pixel. $1–$3 z, x, y; $4–$5 from, to.
 */
const SCAN_CELLS = `
  with b as (
    select $1::int as z, $2::int as x, $3::int as y, 2.0 ^ $1::int as n
  ), sel as (
    select least(4095, greatest(0, floor(((i.lon + 180) / 360 * b.n - b.x) * 4096)))::int as px,
           least(4095, greatest(0, floor(((1 - ln(tan(pi() / 4 + radians(i.lat) / 2)) / pi()) / 2 * b.n - b.y) * 4096)))::int as py,
           i.event_type, i.fatalities
    from public.incidents i, b
    where i.event_date >= $4::date and i.event_date <= $5::date
      and floor((i.lon + 180) / 360 * b.n) = b.x
      and floor((1 - ln(tan(pi() / 4 + radians(i.lat) / 2)) / pi()) / 2 * b.n) = b.y
  )
  select round(avg(px))::int as px, round(avg(py))::int as py, count(*)::int as count,
         sum(fatalities)::int as fatalities, mode() within group (order by event_type) as event_type
  from sel group by px / $6::int, py / $6::int`;

import { join } from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { GET as tileGet } from '../../src/routes/api/v1/tiles/incidents/[z]/[x]/[y].mvt/+server.ts';
import { GET as countsGet } from '../../src/routes/api/v1/incidents/counts/+server.ts';
import { runImport } from '../../src/lib/server/import/pipeline.ts';
import { callRoute } from './helpers/route.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';

type Tile = { status: number; headers: Headers; bytes: Uint8Array };

async function tile(
	as: CallerUser,
	z: number,
	x: number,
	y: number,
	query = '',
	headers: Record<string, string> = {}
): Promise<Tile> {
	const url = new URL(`/api/v1/tiles/incidents/${z}/${x}/${y}.mvt${query}`, 'http://terrain.test');
	const event = {
		url,
		request: new Request(url, { headers }),
		params: { z: String(z), x: String(x), y: String(y) },
		locals: { user: as, authVia: 'token', locale: 'en' },
		route: { id: null }
	} as unknown as RequestEvent;
	const r = await (tileGet as unknown as (e: RequestEvent) => Promise<Response>)(event);
	return { status: r.status, headers: r.headers, bytes: new Uint8Array(await r.arrayBuffer()) };
}

interface Decoded {
	props: Record<string, unknown>;
	lon: number;
	lat: number;
}

function decode(bytes: Uint8Array, z: number, x: number, y: number): Decoded[] {
	const layer = new VectorTile(new PbfReader(bytes)).layers.incidents;
	if (!layer) return [];
	const out: Decoded[] = [];
	for (let i = 0; i < layer.length; i++) {
		const f = layer.feature(i);
		const g = f.toGeoJSON(x, y, z).geometry as { coordinates: number[] };
		out.push({ props: f.properties, lon: g.coordinates[0], lat: g.coordinates[1] });
	}
	return out;
}

/** The tile's bounds in degrees (Web Mercator, as the SQL computes them). */
function bounds(z: number, x: number, y: number) {
	const n = 2 ** z;
	const lat = (t: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * t) / n))) * 180) / Math.PI;
	return {
		west: (x / n) * 360 - 180,
		east: ((x + 1) / n) * 360 - 180,
		north: lat(y),
		south: lat(y + 1)
	};
}

function tileOf(lon: number, lat: number, z: number): [number, number] {
	const n = 2 ** z;
	const r = (lat * Math.PI) / 180;
	return [
		Math.floor(((lon + 180) / 360) * n),
		Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)
	];
}

/** Iraq: 38.7–48.7 E, 29–37.5 N. */
function iraqTiles(z: number): [number, number][] {
	const [x0, y0] = tileOf(38.7, 37.5, z);
	const [x1, y1] = tileOf(48.7, 29, z);
	const out: [number, number][] = [];
	for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.push([x, y]);
	return out;
}

async function sumOfCounts(as: CallerUser, z: number, query: string) {
	let count = 0;
	let fatalities = 0;
	for (const [x, y] of iraqTiles(z)) {
		const t = await tile(as, z, x, y, query);
		expect(t.status).toBe(200);
		for (const f of decode(t.bytes, z, x, y)) {
			expect(typeof f.props.count).toBe('number');
			count += f.props.count as number;
			fatalities += f.props.fatalities as number;
		}
	}
	return { count, fatalities };
}

interface ScanCell {
	px: number;
	py: number;
	count: number;
	fatalities: number | null;
	event_type: string;
}

/** Each feature is one of the scan's cells, within a pixel, with its count, type and fatalities. */
function expectScanCells(got: Decoded[], scan: ScanCell[], z: number, x: number, y: number) {
	expect(got.length, `z${z} cells`).toBe(scan.length);
	const b = bounds(z, x, y);
	const merc = (lat: number) =>
		(1 - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / Math.PI) / 2;
	for (const f of got) {
		// The feature's pixel, back from degrees.
		const fx = Math.round((f.lon - b.west) / ((b.east - b.west) / 4096));
		const fy = Math.round((merc(f.lat) * 2 ** z - y) * 4096);
		const c = scan.find((c) => Math.abs(c.px - fx) <= 1 && Math.abs(c.py - fy) <= 1);
		expect(c, `z${z} cell at ${fx},${fy}`).toBeDefined();
		expect(f.props.count).toBe(c!.count);
		expect(f.props.event_type).toBe(c!.event_type);
		expect(f.props.fatalities ?? null).toBe(c!.fatalities);
		expect(f.props.id).toBeUndefined();
	}
}

describe.each(engineNames())('incident tiles on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	const hidden: string[] = [];

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
		setDb(e.db);
		// Restricted and unverified incidents in central Baghdad, which no viewer may see.
		const rows = await e.db.queryOwner<{ id: string }>(
			`insert into public.incidents (event_date, event_type, geom, fatalities, status, confidentiality)
			 select '2020-05-01'::date + g, 'battles', st_setsrid(st_makepoint(44.36 + g * 0.001, 33.31), 4326), 3,
			        case when g % 2 = 0 then 'verified' else 'reported' end,
			        case when g % 2 = 0 then 'restricted' else 'public' end
			 from generate_series(1, 40) g returning id`
		);
		hidden.push(...rows.map((r) => r.id));
	}, 120_000);
	afterAll(async () => e?.close());

	it("a decoded z12 tile holds exactly the filter's incidents in its bounds, at their place", async () => {
		const z = 12;
		const [x, y] = tileOf(44.361, 33.31, z);
		const t = await tile(u.analyst, z, x, y, '?from=2019-01-01');
		expect(t.status).toBe(200);
		expect(t.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
		const features = decode(t.bytes, z, x, y);
		const b = bounds(z, x, y);
		const rows = await e.db.queryOwner<{ id: string; lon: number; lat: number }>(
			`select id::text as id, lon, lat from public.incidents
			 where event_date >= '2019-01-01' and lon >= $1 and lon < $2 and lat >= $3 and lat < $4`,
			[b.west, b.east, b.south, b.north]
		);
		expect(rows.length).toBeGreaterThan(10);
		expect(features.map((f) => f.props.id).sort()).toEqual(rows.map((r) => r.id).sort());
		const px = (b.east - b.west) / 4096;
		for (const f of features) {
			expect(f.props.count).toBeUndefined();
			expect(typeof f.props.event_type).toBe('string');
			const row = rows.find((r) => r.id === f.props.id)!;
			expect(Math.abs(f.lon - row.lon)).toBeLessThanOrEqual(1.5 * px);
			expect(Math.abs(f.lat - row.lat)).toBeLessThanOrEqual(1.5 * px);
		}
	});

	it('each incident is in exactly one tile: the z9 tiles over Baghdad add up to the area', async () => {
		const z = 9;
		const [x0, y0] = tileOf(43.5, 34, z);
		const [x1, y1] = tileOf(45, 32.8, z);
		const seen: string[] = [];
		for (let x = x0; x <= x1; x++)
			for (let y = y0; y <= y1; y++) {
				const t = await tile(u.analyst, z, x, y, '?from=2016-01-01');
				for (const f of decode(t.bytes, z, x, y)) seen.push(f.props.id as string);
			}
		const w = bounds(z, x0, y0).west;
		const n = bounds(z, x0, y0).north;
		const ea = bounds(z, x1, y1).east;
		const s = bounds(z, x1, y1).south;
		const [{ c }] = await e.db.queryOwner<{ c: number }>(
			`select count(*)::int as c from public.incidents
			 where event_date >= '2016-01-01' and lon >= $1 and lon < $2 and lat >= $3 and lat < $4`,
			[w, ea, s, n]
		);
		expect(new Set(seen).size).toBe(seen.length);
		expect(seen.length).toBe(c);
	});

	it('the counts of the z6 tiles covering Iraq add up to /incidents/counts for the same filter', async () => {
		for (const query of [
			'',
			'?from=2014-01-01&to=2017-12-31&type=battles,explosions_remote_violence',
			// Whole years, whole months and days at both ends (the rollup's periods).
			'?from=2014-03-15&to=2017-11-20',
			'?from=2016-02-10&to=2016-02-20',
			// whole months inside one year, and with edge days: no whole year, months up to the last
			'?from=2016-03-01&to=2016-08-31',
			'?from=2015-04-10&to=2015-09-20',
			'?to=2012-06-30'
		]) {
			for (const who of [u.analyst, u.viewer]) {
				const counts = await callRoute(countsGet, who, `/api/v1/incidents/counts${query}`);
				expect(counts.status).toBe(200);
				const sum = await sumOfCounts(who, 6, query);
				expect(counts.body.total).toBeGreaterThan(0);
				expect(sum.count).toBe(counts.body.total);
				expect(sum.fatalities).toBe(counts.body.fatalities);
			}
		}
	}, 120_000);

	it("a viewer's tiles hold nothing restricted or unverified, not even in a count", async () => {
		const z = 14;
		const [x, y] = tileOf(44.38, 33.31, z);
		const seen: string[] = [];
		for (const dx of [-1, 0, 1]) {
			const t = await tile(u.viewer, z, x + dx, y, '?from=2020-01-01&to=2020-12-31');
			seen.push(...decode(t.bytes, z, x + dx, y).map((f) => f.props.id as string));
			const a = await tile(u.analyst, z, x + dx, y, '?from=2020-01-01&to=2020-12-31');
			seen.push(...decode(a.bytes, z, x + dx, y).map((f) => `analyst:${f.props.id}`));
		}
		expect(
			seen.filter((s) => s.startsWith('analyst:') && hidden.includes(s.slice(8)))
		).toHaveLength(40);
		expect(seen.filter((s) => hidden.includes(s))).toEqual([]);
		// In aggregates: the viewer's z6 sum is their own count, and below the analyst's by at least
		// the 40 hidden incidents.
		const q = '?from=2020-05-01&to=2020-06-30';
		const viewer = await sumOfCounts(u.viewer, 6, q);
		const analyst = await sumOfCounts(u.analyst, 6, q);
		const [{ c }] = await e.db.queryOwner<{ c: number }>(
			`select count(*)::int as c from public.incidents where event_date between '2020-05-01' and '2020-06-30'
			 and status = 'verified' and confidentiality <> 'restricted'`
		);
		expect(viewer.count).toBe(c);
		expect(analyst.count - viewer.count).toBeGreaterThanOrEqual(40);
	}, 60_000);

	// Each filter reads the rollup differently: all time, whole years and months with no edge,
	// and edge days on both sides (months and days read from the incidents) and inside one month.
	const RANGES: [string, string | null, string | null][] = [
		['all time', null, null],
		['whole years', '2015-01-01', null],
		['edge days', '2006-03-17', '2017-08-09'],
		['one month', '2016-05-03', '2016-05-21']
	];
	it.each(RANGES)(
		"an aggregated tile from the rollup has the scan's cells (%s): counts, fatalities, type, place",
		async (name, from, to) => {
			const query = [from && `from=${from}`, to && `to=${to}`].filter(Boolean).join('&');
			// z9–z12 cells are kept for all time only.
			for (const z of from || to ? [6, 8] : [6, 8, 9, 10, 11, 12]) {
				const [x, y] = tileOf(44.36, 33.31, z);
				const cellPx = z <= 8 ? 64 : 32;
				// At z9–z12 the tile endpoint aggregates only beyond 8,000 incidents, which the demo
				// data has not: the rollup's cells are read as the endpoint would read them.
				const got =
					z <= 8
						? decode((await tile(u.analyst, z, x, y, query ? `?${query}` : '')).bytes, z, x, y)
						: await rollupCells(z, x, y, from, to);
				const scan = await e.db.queryOwner<ScanCell>(SCAN_CELLS, [
					z,
					x,
					y,
					from ?? '0001-01-01',
					to ?? '9999-01-01',
					cellPx
				]);
				expect(scan.length, `z${z} scan cells`).toBeGreaterThan(
					name === 'one month' ? 0 : z >= 9 ? 1 : 5
				);
				expectScanCells(got, scan, z, x, y);
				if (name === 'edge days' && z === 6) {
					// The edge days (read from the incidents, not the rollup) hold some of the tile's.
					const edges = await e.db.queryOwner<{ count: number }>(SCAN_CELLS, [
						z,
						x,
						y,
						from,
						'2006-03-31',
						cellPx
					]);
					const late = await e.db.queryOwner<{ count: number }>(SCAN_CELLS, [
						z,
						x,
						y,
						'2017-08-01',
						to,
						cellPx
					]);
					expect(edges.length * late.length, 'incidents on both edges').toBeGreaterThan(0);
				}
			}
		}
	);

	it("a z9–z12 tile of more than 8,000 incidents is aggregated into the scan's 32 px cells, from the rollup for all time", async () => {
		// 13,000 incidents in ~1.8 × 2.9 km south of Nasiriyah, over two years: more than 8,000 with
		// and without the date filter.
		await e.db.execOwner(
			`insert into public.incidents (event_date, event_type, geom, fatalities, status, confidentiality)
			 select '2019-01-01'::date + g % 700, (array['battles', 'riots', 'protests'])[1 + g % 3],
			        st_setsrid(st_makepoint(46.0 + (g % 90) * 0.0002, 30.9 + (g / 90) * 0.0002), 4326),
			        case when g % 4 = 0 then null else g % 3 end, 'verified', 'public'
			 from generate_series(0, 12999) g`
		);
		for (const z of [9, 10, 11, 12]) {
			const [x, y] = tileOf(46.009, 30.909, z);
			for (const [from, to] of [
				[null, null],
				['2019-02-10', '2020-06-20']
			]) {
				const query = from ? `?from=${from}&to=${to}` : '';
				const got = decode((await tile(u.analyst, z, x, y, query)).bytes, z, x, y);
				const scan = await e.db.queryOwner<ScanCell>(SCAN_CELLS, [
					z,
					x,
					y,
					from ?? '0001-01-01',
					to ?? '9999-01-01',
					32
				]);
				const total = scan.reduce((n, c) => n + c.count, 0);
				expect(total, `z${z} ${query}`).toBeGreaterThan(8000);
				expectScanCells(got, scan, z, x, y);
				expect(got.reduce((n, f) => n + (f.props.count as number), 0)).toBe(total);
				if (from) continue;
				// The rollup answers for this tile (else the endpoint falls back to the scan).
				const cells = await rollupCells(z, x, y, null, null);
				expect(cells.length).toBe(scan.length);
				expect(cells.reduce((n, f) => n + (f.props.count as number), 0)).toBe(total);
			}
		}
	}, 120_000);

	/** incident_tile_cells as the analyst, as features placed as a decoded tile's are. */
	async function rollupCells(
		z: number,
		x: number,
		y: number,
		from: string | null,
		to: string | null
	) {
		const rows = await sqlAs<{
			px: number;
			py: number;
			event_type: string;
			fatalities: number | null;
			count: number;
		}>(
			e.db,
			u.analyst,
			'select * from public.incident_tile_cells($1, $2, $3, $4::date, $5::date)',
			[z, x, y, from, to]
		);
		const b = bounds(z, x, y);
		const unmerc = (m: number) => (Math.atan(Math.sinh(Math.PI * (1 - 2 * m))) * 180) / Math.PI;
		return rows.map((r) => ({
			props: {
				count: Number(r.count),
				event_type: r.event_type,
				fatalities: r.fatalities === null ? undefined : Number(r.fatalities)
			} as Record<string, unknown>,
			lon: b.west + (r.px / 4096) * (b.east - b.west),
			lat: unmerc((y + r.py / 4096) / 2 ** z)
		}));
	}

	it('keeps the cell rollup equal to a fresh GROUP BY after inserts, edits, deletes, merges and an import', async () => {
		const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();
		async function expectFresh() {
			const [fresh, kept] = await Promise.all([
				e.db.queryOwner<Record<string, unknown>>(CELLS_FRESH),
				e.db.queryOwner<Record<string, unknown>>(CELLS_KEPT)
			]);
			expect(kept.length).toBe(fresh.length);
			expect(sorted(kept)).toEqual(sorted(fresh));
		}
		await expectFresh();
		const ids: string[] = [];
		for (const p of [
			{ event_date: '2024-03-01', event_type: 'battles', lon: 44.36, lat: 33.31, fatalities: 2 },
			{ event_date: '2024-03-01', event_type: 'battles', lon: 44.37, lat: 33.3 },
			{ event_date: '2024-03-02', event_type: 'riots', lon: 43.1, lat: 36.3, fatalities: 4 }
		]) {
			const r = await e.db.rpc<{ incident: { id: string } }>('incident_create', { p }, u.analyst);
			ids.push(r.incident.id);
		}
		await expectFresh();
		// A move to another cell and a change of type; a move within its cell; fatalities.
		await e.db.rpc(
			'incident_update',
			{ p_id: ids[2], p: { lon: 47.78, lat: 30.5, event_type: 'protests' } },
			u.analyst
		);
		await e.db.rpc(
			'incident_update',
			{ p_id: ids[1], p: { lon: 44.3701, lat: 33.3, fatalities: 1 } },
			u.analyst
		);
		await e.db.execOwner(
			`update public.incidents set sensitive_location = true where id = '${ids[0]}'`
		);
		await expectFresh();
		await e.db.rpc(
			'incident_merge',
			{ p_keep: ids[0], p_merge: ids[1], p_reason: 'same' },
			u.analyst
		);
		await expectFresh();
		await e.db.execOwner(`delete from public.incidents where id = '${ids[2]}'`);
		await e.db.execOwner(
			`update public.incidents set fatalities = coalesce(fatalities, 0) + 1 where event_type = 'riots'`
		);
		await expectFresh();
		const imported = await runImport({
			db: e.db,
			as: u.analyst,
			file: join(import.meta.dirname, '..', 'fixtures', 'import', 'acled_iraq.csv'),
			target: 'incidents'
		});
		expect(imported.inserted).toBeGreaterThan(0);
		await expectFresh();
	});

	it("gives a viewer's cell rollup rows only verified unrestricted incidents, never an exact sensitive point", async () => {
		await e.db.execOwner(
			`update public.incidents set sensitive_location = true
			 where id in (select id from public.incidents where status = 'verified' order by id limit 20)`
		);
		const [{ n }] = await e.db.queryOwner<{ n: number }>(
			`select count(*)::int as n from public.incident_cell_rollup where point_kind = 'exact'`
		);
		expect(n).toBeGreaterThan(0);
		const rows = await sqlAs<{ status: string; confidentiality: string; point_kind: string }>(
			e.db,
			u.viewer,
			'select distinct status, confidentiality, point_kind from public.incident_cell_rollup'
		);
		expect(rows.length).toBeGreaterThan(0);
		for (const r of rows) {
			expect(r.status).toBe('verified');
			expect(r.confidentiality).not.toBe('restricted');
			expect(r.point_kind).not.toBe('exact');
		}
		// A viewer's z8 tile places the sensitive incidents at their coarse point: its cells are
		// the coarse points' cells, and the analyst's the exact ones'.
		for (const [who, col] of [
			[u.viewer, 'coarse'],
			[u.analyst, 'exact']
		] as const) {
			const lonCol = col === 'coarse' ? 'lon_coarse' : 'lon';
			const latCol = col === 'coarse' ? 'lat_coarse' : 'lat';
			const [s] = await e.db.queryOwner<{ lon: number; lat: number }>(
				`select ${lonCol} as lon, ${latCol} as lat from public.incidents
				 where sensitive_location and geom_coarse is not null and status = 'verified'
				   and confidentiality <> 'restricted' and abs(lon - lon_coarse) + abs(lat - lat_coarse) > 0.1
				 order by id limit 1`
			);
			expect(s, 'a sensitive incident whose coarse point is another cell').toBeDefined();
			const [x, y] = tileOf(s.lon, s.lat, 8);
			const t = decode((await tile(who, 8, x, y)).bytes, 8, x, y);
			const near = t.filter(
				(f) => Math.abs(f.lon - s.lon) < 0.02 && Math.abs(f.lat - s.lat) < 0.02
			);
			expect(near.length, `${col} point's cell in the ${who.role}'s tile`).toBeGreaterThan(0);
		}
	});

	it('answers 304 to its own ETag until an incident changes, and is never publicly cacheable', async () => {
		const [x, y] = tileOf(44.36, 33.31, 8);
		const first = await tile(u.analyst, 8, x, y);
		const etag = first.headers.get('etag')!;
		expect(etag).toMatch(/^"\d+-/);
		expect(first.headers.get('cache-control')).toMatch(/^private\b/);
		const again = await tile(u.analyst, 8, x, y, '', { 'if-none-match': etag });
		expect(again.status).toBe(304);
		expect(again.bytes.length).toBe(0);
		// Another user, or another filter, has another ETag.
		expect((await tile(u.viewer, 8, x, y)).headers.get('etag')).not.toBe(etag);
		expect((await tile(u.analyst, 8, x, y, '?type=riots')).headers.get('etag')).not.toBe(etag);

		await e.db.rpc(
			'incident_create',
			{ p: { event_date: '2024-03-01', event_type: 'battles', lon: 44.37, lat: 33.3 } },
			u.analyst
		);
		const after = await tile(u.analyst, 8, x, y, '', { 'if-none-match': etag });
		expect(after.status).toBe(200);
		expect(after.headers.get('etag')).not.toBe(etag);
		const sum = decode(after.bytes, 8, x, y).reduce((s, f) => s + (f.props.count as number), 0);
		const before = decode(first.bytes, 8, x, y).reduce((s, f) => s + (f.props.count as number), 0);
		expect(sum).toBe(before + 1);
	});

	// A dated tile reads its edge days' incidents in its own rectangle, on the point the caller
	// sees (20261226400000). Sensitive incidents on an edge day on both sides of the z8 tile edge
	// that runs south of Baghdad (33.137551° N), some of them in another tile than their coarse
	// point (their sub-district's): a viewer's z8 tiles must still count each once.
	it("a viewer's dated z8 tiles count the edge days' incidents by the point the viewer sees", async () => {
		const moved = await e.db.queryOwner<{ straddles: boolean }>(
			`with m as (select id, row_number() over (order by id) as k from public.incidents
			            where status = 'verified' and confidentiality <> 'restricted'
			              and lon between 44.0 and 44.6 and lat between 33.0 and 33.45
			            order by id limit 40)
			 update public.incidents i
			    set sensitive_location = true, event_date = '2014-03-20',
			        geom = st_setsrid(st_point(44.0 + m.k * 0.015,
			                                   33.137551 + case when m.k % 2 = 0 then 0.002 else -0.002 end), 4326)
			   from m where i.id = m.id
			 returning (i.lat > 33.137551192346145) <> (i.lat_coarse > 33.137551192346145) as straddles`
		);
		expect(moved).toHaveLength(40);
		expect(moved.filter((m) => m.straddles).length).toBeGreaterThan(0);
		// And 40 more astride the z8 tiles' column edge at 45° E: the coarse point in the column
		// beside the exact one for some (longitude is placed apart from latitude).
		const across = await e.db.queryOwner<{ straddles: boolean }>(
			`with m as (select id, row_number() over (order by id) as k from public.incidents
			            where status = 'verified' and confidentiality <> 'restricted'
			              and lon between 44.0 and 44.6 and lat between 33.0 and 33.45
			            order by id offset 40 limit 40)
			 update public.incidents i
			    set sensitive_location = true, event_date = '2014-03-20',
			        geom = st_setsrid(st_point(45.0 + case when m.k % 2 = 0 then 0.002 else -0.002 end,
			                                   33.0 + m.k * 0.01), 4326)
			   from m where i.id = m.id
			 returning (i.lon > 45.0) <> (i.lon_coarse > 45.0) as straddles`
		);
		expect(across).toHaveLength(40);
		expect(across.filter((m) => m.straddles).length).toBeGreaterThan(0);
		for (const query of ['?from=2014-03-17&to=2016-11-05', '?from=2014-03-20&to=2014-03-20']) {
			for (const who of [u.viewer, u.analyst]) {
				const counts = await callRoute(countsGet, who, `/api/v1/incidents/counts${query}`);
				const sum = await sumOfCounts(who, 8, query);
				expect(sum.count).toBe(counts.body.total);
			}
		}
	}, 120_000);

	// Every reader's dated z9+ scan selects by the tile's 1/16° cells (20261230100000,
	// 20261231100000): the incidents whose exact point is in them, and for viewers and field staff
	// the sensitive ones whose exact point is elsewhere but whose coarse point (their
	// sub-district's) is in the tile. Sensitive incidents are moved tiles away from their coarse
	// point, east and west, and others left in the tile of their coarse point: each must be in the
	// one tile of the point its reader sees, once.
	it('a dated z10 tile holds each incident by the point its reader sees, the exact point tiles away or not', async () => {
		const q = { from: '2015-06-01', to: '2015-06-30' };
		await e.db.execOwner(
			`with m as (select id from public.incidents
			            where status = 'verified' and confidentiality <> 'restricted' and admin2_pcode is not null
			              and lon between 44.2 and 44.5 and lat between 33.2 and 33.45
			            order by id offset 100 limit 60)
			 update public.incidents i set sensitive_location = true, event_date = '2015-06-10'
			   from m where i.id = m.id`
		);
		const far = await e.db.queryOwner<{ id: string }>(
			`with m as (select id, row_number() over (order by id) as k from public.incidents
			            where sensitive_location and event_date = '2015-06-10' and geom_coarse is not null)
			 update public.incidents i
			    set geom = st_setsrid(st_point(i.lon_coarse + case when m.k % 2 = 0 then 0.6 else -0.55 end + m.k * 0.002,
			                                   i.lat_coarse + m.k * 0.001), 4326)
			   from m where i.id = m.id and m.k % 3 <> 0 and abs(i.lon - i.lon_coarse) < 0.3
			 returning i.id::text as id`
		);
		expect(far.length).toBeGreaterThanOrEqual(30);
		// The others stay in the city, most in the tile of their coarse point: read once each.
		const near = await e.db.queryOwner<{
			lon: number;
			lat: number;
			lon_coarse: number;
			lat_coarse: number;
		}>(
			`select lon, lat, lon_coarse, lat_coarse from public.incidents
			 where sensitive_location and event_date = '2015-06-10' and not (id = any ($1::uuid[]))`,
			[far.map((f) => f.id)]
		);
		const sameTile = near.filter(
			(n) => tileOf(n.lon, n.lat, 10).join() === tileOf(n.lon_coarse, n.lat_coarse, 10).join()
		);
		expect(sameTile.length).toBeGreaterThanOrEqual(5);
		const [{ apart }] = await e.db.queryOwner<{ apart: number }>(
			`select count(*)::int as apart from public.incidents
			 where id = any ($1::uuid[]) and abs(lon - lon_coarse) > 0.4`,
			[far.map((f) => f.id)]
		);
		expect(apart, 'exact points tiles away from the coarse ones').toBe(far.length);

		const z = 10;
		const shown: Record<string, Map<string, string[]>> = {};
		const tiles = new Set<string>();
		for (const role of ['analyst', 'viewer', 'field'] as const) {
			const rows = await sqlAs<{ id: string; x: number; y: number }>(
				e.db,
				u[role],
				`select i.id::text as id, p.pt[0] as x, p.pt[1] as y
				 from public.incidents_filtered($1::date, $2::date) i
				 cross join lateral (select public.incident_xy_for_caller(i.lon, i.lat, i.lon_coarse, i.lat_coarse,
				   i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, public.caller_location_scope()) as pt) p
				 where p.pt[0] between 43 and 46 and p.pt[1] between 32.5 and 34.5`,
				[q.from, q.to]
			);
			const byTile = new Map<string, string[]>();
			for (const r of rows) {
				const key = tileOf(r.x, r.y, z).join('/');
				tiles.add(key);
				byTile.set(key, [...(byTile.get(key) ?? []), r.id]);
			}
			shown[role] = byTile;
		}
		// Every moved incident is in another tile for a viewer than for an analyst.
		const movedFor = (role: string) =>
			[...shown[role]].flatMap(([t, ids]) =>
				ids.filter((i) => far.some((f) => f.id === i)).map((i) => `${i}@${t}`)
			);
		expect(movedFor('viewer').filter((p) => !movedFor('analyst').includes(p)).length).toBe(
			far.length
		);
		for (const role of ['analyst', 'viewer', 'field'] as const) {
			for (const key of tiles) {
				const [x, y] = key.split('/').map(Number);
				const t = await tile(u[role], z, x, y, `?from=${q.from}&to=${q.to}`);
				const got = decode(t.bytes, z, x, y).map((f) => f.props.id as string);
				expect({ role, key, ids: got.sort() }).toEqual({
					role,
					key,
					ids: [...(shown[role].get(key) ?? [])].sort()
				});
			}
		}
	}, 120_000);

	it('refuses a tile outside the grid, and a bbox, naming the parameter', async () => {
		expect((await tile(u.analyst, 3, 8, 0)).status).toBe(400);
		expect((await tile(u.analyst, 3, 0, 0, '?bbox=40,30,45,35')).status).toBe(400);
	});
});
