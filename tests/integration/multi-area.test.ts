/**
 * Several admin areas in one filter (issue 13, point 2: "… or picks admin areas"), on PGlite and
 * PostgreSQL, on the demo data: area=A,B (any level, mixed) gives the list, the GeoJSON API, the
 * map, the counts, the exports, the stats and the vector tiles the same total, equal to a count
 * computed independently in SQL as the same user under RLS; two disjoint areas give the sum of
 * each; a parent with its own child counts each incident once; a malformed or unknown P-code is
 * refused with a 400 naming the parameter and the code.
 */
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type { RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { GET as countsGet } from '../../src/routes/api/v1/incidents/counts/+server.ts';
import { GET as listGet } from '../../src/routes/api/v1/incidents/report/+server.ts';
import { GET as geojsonGet } from '../../src/routes/api/v1/incidents/+server.ts';
import { GET as mapGet } from '../../src/routes/api/v1/map/incidents/+server.ts';
import { GET as exportGet } from '../../src/routes/api/v1/exports/+server.ts';
import { GET as statsGet } from '../../src/routes/api/v1/stats/incidents/+server.ts';
import { GET as areasGet } from '../../src/routes/api/v1/stats/areas/+server.ts';
import { GET as tileGet } from '../../src/routes/api/v1/tiles/incidents/[z]/[x]/[y].mvt/+server.ts';
import { callRoute } from './helpers/route.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';

const IRAQ = 'bbox=38,29,49,38';

/** The sum of the clustered counts of the z5 tiles over Iraq. */
async function tileTotal(as: CallerUser, query: string): Promise<number> {
	let n = 0;
	for (let x = 19; x <= 20; x++)
		for (let y = 12; y <= 13; y++) {
			const url = new URL(`/api/v1/tiles/incidents/5/${x}/${y}.mvt?${query}`, 'http://t.test');
			const event = {
				url,
				request: new Request(url),
				params: { z: '5', x: String(x), y: String(y) },
				locals: { user: as, authVia: 'token', locale: 'en' },
				route: { id: null }
			} as unknown as RequestEvent;
			const r = await (tileGet as unknown as (e: RequestEvent) => Promise<Response>)(event);
			expect(r.status).toBe(200);
			const layer = new VectorTile(new PbfReader(new Uint8Array(await r.arrayBuffer()))).layers
				.incidents;
			for (let i = 0; i < (layer?.length ?? 0); i++)
				n += Number(layer!.feature(i).properties.count ?? 1);
		}
	return n;
}

describe.each(engineNames())('several areas in one filter on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	/** Two governorates with incidents, a district of the first, a sub-district of the second. */
	let g1: string, g2: string, d1: string, s2: string;

	/** The incidents in any of these areas, counted straight from the table as the caller. */
	async function independent(as: CallerUser, codes: string[]): Promise<number> {
		const [r] = await sqlAs<{ n: number }>(
			e.db,
			as,
			`select count(*)::int as n from public.incidents i
			  where i.admin1_pcode in (select unnest($1::text[]))
			     or i.admin2_pcode in (select unnest($1::text[]))
			     or i.admin3_pcode in (select unnest($1::text[]))`,
			[codes]
		);
		return r.n;
	}

	/** The total every emitter gives for one query string, as the caller. */
	async function totals(as: CallerUser, q: string) {
		const list = await callRoute(listGet, as, `/api/v1/incidents/report?${q}&size=5`);
		const geo = await callRoute(geojsonGet, as, `/api/v1/incidents?${q}&limit=1`);
		const map = await callRoute(mapGet, as, `/api/v1/map/incidents?${q}&${IRAQ}&limit=1`);
		const counts = await callRoute(countsGet, as, `/api/v1/incidents/counts?${q}`);
		const file = await callRoute(exportGet, as, `/api/v1/exports?${q}&format=geojson`);
		const stats = await callRoute<{ total: number }>(statsGet, as, `/api/v1/stats/incidents?${q}`);
		const byArea = await callRoute<{ total: number }>(
			areasGet,
			as,
			`/api/v1/stats/areas?level=2&${q}`
		);
		for (const r of [list, geo, map, counts, file, stats, byArea])
			expect(r.status, r.text).toBe(200);
		return {
			list: Number(list.body.total),
			geojson: Number(geo.body.total),
			map: Number(map.body.total),
			counts: Number(counts.body.total),
			export: JSON.parse(file.text).features.length as number,
			stats: Number(stats.body.total),
			areas: Number(byArea.body.total),
			tiles: await tileTotal(as, q)
		};
	}
	const everywhere = (n: number) => ({
		list: n,
		geojson: n,
		map: n,
		counts: n,
		export: n,
		stats: n,
		areas: n,
		tiles: n
	});
	const counted = async (as: CallerUser, q: string) => {
		const r = await callRoute(countsGet, as, `/api/v1/incidents/counts?${q}`);
		expect(r.status, r.text).toBe(200);
		return Number(r.body.total);
	};

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
		setDb(e.db);
		const top = await sqlAs<{ g: string }>(
			e.db,
			u.analyst,
			`select admin1_pcode as g from public.incidents where admin1_pcode is not null
			  group by 1 order by count(*) desc, 1 limit 2`
		);
		[g1, g2] = top.map((r) => r.g);
		const [d] = await sqlAs<{ d: string }>(
			e.db,
			u.analyst,
			`select admin2_pcode as d from public.incidents where admin1_pcode = $1 and admin2_pcode is not null
			  group by 1 order by count(*) desc, 1 limit 1`,
			[g1]
		);
		d1 = d.d;
		const [s] = await sqlAs<{ s: string }>(
			e.db,
			u.analyst,
			`select admin3_pcode as s from public.incidents where admin1_pcode = $1 and admin3_pcode is not null
			  group by 1 order by count(*) desc, 1 limit 1`,
			[g2]
		);
		s2 = s.s;
	}, 120_000);
	afterAll(async () => e?.close());

	it('two governorates: every emitter gives the sum of each, equal to the SQL count', async () => {
		const a = await independent(u.analyst, [g1]);
		const b = await independent(u.analyst, [g2]);
		expect(a).toBeGreaterThan(0);
		expect(b).toBeGreaterThan(0);
		expect(await independent(u.analyst, [g1, g2])).toBe(a + b);
		expect(await counted(u.analyst, `area=${g1}`)).toBe(a);
		expect(await counted(u.analyst, `area=${g2}`)).toBe(b);
		expect(await totals(u.analyst, `area=${g1},${g2}`)).toEqual(everywhere(a + b));
		// repeated area= is the same filter
		expect(await counted(u.analyst, `area=${g1}&area=${g2}`)).toBe(a + b);
	});

	it('mixed levels, with a date filter and as a viewer: the same rule everywhere', async () => {
		const n = await independent(u.viewer, [d1, s2]);
		expect(n).toBeGreaterThan(0);
		expect(await totals(u.viewer, `area=${d1},${s2}`)).toEqual(everywhere(n));
		const [r] = await sqlAs<{ n: number }>(
			e.db,
			u.analyst,
			`select count(*)::int as n from public.incidents i
			  where i.event_date >= '2016-01-01' and (i.admin2_pcode = $1 or i.admin3_pcode = $2)`,
			[d1, s2]
		);
		expect(await counted(u.analyst, `from=2016-01-01&area=${d1},${s2}`)).toBe(r.n);
	});

	it('a parent and its own child count each incident once', async () => {
		const parent = await independent(u.analyst, [g1]);
		const child = await independent(u.analyst, [d1]);
		expect(child).toBeGreaterThan(0);
		expect(child).toBeLessThan(parent);
		expect(await totals(u.analyst, `area=${g1},${d1}`)).toEqual(everywhere(parent));
		expect(await counted(u.analyst, `area=${d1},${g1},${d1}`)).toBe(parent);
	});

	it('a malformed or unknown P-code among several is refused, named', async () => {
		const bad = async (q: string) => {
			for (const [route, path] of [
				[countsGet, '/api/v1/incidents/counts'],
				[geojsonGet, '/api/v1/incidents'],
				[exportGet, '/api/v1/exports'],
				[statsGet, '/api/v1/stats/incidents']
			] as const) {
				const r = await callRoute(route, u.analyst, `${path}?${q}&format=csv`);
				expect(r.status, `${path} ${q}`).toBe(400);
				expect(r.body.parameter).toBe('area');
			}
			const r = await callRoute(countsGet, u.analyst, `/api/v1/incidents/counts?${q}`);
			return r.body.message as string;
		};
		expect(await bad(`area=${g1},iqg15`)).toContain('"iqg15"');
		expect(await bad(`area=${g1},IQG99X`)).toBe('area: no area with P-code IQG99X');
		const many = Array.from({ length: 51 }, (_, i) => `IQG${100 + i}`).join(',');
		expect(await bad(`area=${many}`)).toBe('area: at most 50 areas');
	});
});
