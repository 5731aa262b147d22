/**
 * Set-based placement (issue 16): import_place and the commit's import_placed place a batch in one
 * statement (private.import_place_set). They must answer exactly as import_place_row, the one-row
 * placement they replaced: the same areas at each level, the same point for rows without
 * coordinates, the same problems word for word. Checked on the real COD-AB areas (the seeded
 * database) for a grid of points over Iraq and its borders (inside, just outside a coast or border,
 * far outside), points that name an area by P-code or by names (matching and not), and rows without
 * coordinates (P-code, names, ambiguous names, nothing). On PGlite and, with TEST_DATABASE_URL, on
 * PostgreSQL+PostGIS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';

type Placed = {
	ord: number;
	lon: number | null;
	lat: number | null;
	geo_precision: number | null;
	admin1_pcode: string | null;
	admin2_pcode: string | null;
	admin3_pcode: string | null;
	problem: Record<string, unknown> | null;
};

describe.each(engineNames())('set-based import placement on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let rows: Record<string, unknown>[];

	const bySet = (r: Record<string, unknown>[]) =>
		sqlAs<Placed>(e.db, u.analyst, `select * from public.import_place($1::jsonb) order by ord`, [
			JSON.stringify(r)
		]);
	const byRow = (r: Record<string, unknown>[]) =>
		sqlAs<Placed>(
			e.db,
			u.analyst,
			`select (e ->> '_row')::int as ord, p.*
			   from jsonb_array_elements($1::jsonb) e
			   cross join lateral public.import_place_row((e ->> '_row')::int, (e ->> 'lon')::float8,
			     (e ->> 'lat')::float8, nullif(e ->> 'geo_precision', '')::smallint, e ->> 'admin_pcode',
			     e ->> 'admin1', e ->> 'admin2', e ->> 'admin3') p
			  order by 1`,
			[JSON.stringify(r)]
		);

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
		const areas = await e.db.queryOwner<{
			pcode: string;
			level: number;
			name_en: string;
			parent_name: string | null;
			grand_name: string | null;
			x: number;
			y: number;
			bx: number;
			by: number;
		}>(
			`select a.pcode, a.level, a.name_en, p.name_en as parent_name, g.name_en as grand_name,
			        st_x(st_pointonsurface(a.geom)) as x, st_y(st_pointonsurface(a.geom)) as y,
			        st_x(st_pointn(st_exteriorring(st_geometryn(a.geom, 1)), 1)) as bx,
			        st_y(st_pointn(st_exteriorring(st_geometryn(a.geom, 1)), 1)) as by
			   from public.areas a
			   left join public.areas p on p.pcode = a.parent_pcode
			   left join public.areas g on g.pcode = p.parent_pcode
			  where a.level between 1 and 3
			  order by a.level, a.pcode`
		);
		expect(areas.length).toBeGreaterThan(100);
		const l1 = areas.filter((a) => a.level === 1);
		const l2 = areas.filter((a) => a.level === 2);
		const l3 = areas.filter((a) => a.level === 3);
		const out: Record<string, unknown>[] = [];
		const add = (r: Record<string, unknown>) => out.push({ _row: out.length + 2, ...r });
		// A grid over Iraq and its neighbours: inside, near the borders, far outside.
		for (let lon = 37.5; lon <= 49.5; lon += 0.37)
			for (let lat = 28.5; lat <= 38.5; lat += 0.41)
				add({ lon: +lon.toFixed(4), lat: +lat.toFixed(4) });
		// The same point twice, with and without a precision.
		add({ lon: 44.36, lat: 33.31, geo_precision: 2 });
		add({ lon: 44.36, lat: 33.31 });
		// Just outside a border vertex (within ~10 km: the nearest area), and on a vertex itself.
		for (const a of [...l1.slice(0, 4), ...l3.slice(0, 20)]) {
			add({ lon: a.bx, lat: a.by });
			add({ lon: a.bx + 0.03, lat: a.by + 0.03 });
			add({ lon: a.bx - 0.05, lat: a.by - 0.02 });
		}
		// Points that name their area: by P-code (right, wrong, unknown) and by names.
		for (let i = 0; i < l3.length; i += 7) {
			const a = l3[i];
			const other = l3[(i + 50) % l3.length];
			add({ lon: a.x, lat: a.y, admin_pcode: a.pcode });
			add({ lon: a.x, lat: a.y, admin_pcode: other.pcode });
			add({ lon: a.x, lat: a.y, admin_pcode: ` ${a.pcode.slice(0, 5)} ` });
			add({ lon: a.x, lat: a.y, admin_pcode: 'IQZZ99' });
			add({ lon: a.x, lat: a.y, admin1: a.grand_name, admin2: a.parent_name, admin3: a.name_en });
			add({ lon: other.x, lat: other.y, admin1: a.grand_name, admin2: a.parent_name });
			add({ lon: other.x, lat: other.y, admin1: a.grand_name, admin2: '', admin3: '  ' });
			add({ lon: 60, lat: 10, admin1: a.grand_name });
		}
		for (const a of l2.slice(0, 30)) add({ lon: a.x, lat: a.y, admin2: a.name_en });
		// Rows without coordinates: a P-code of each level, an unknown one, names, nothing.
		for (const a of [...l1, ...l2.slice(0, 40), ...l3.slice(0, 40)]) {
			add({ admin_pcode: a.pcode, geo_precision: 1 });
			add({ lon: a.x, admin_pcode: a.pcode });
		}
		add({ admin_pcode: 'IQG99' });
		add({ admin_pcode: '   ' });
		for (const a of l3.slice(0, 60)) {
			add({ admin1: a.grand_name, admin2: a.parent_name, admin3: a.name_en });
			add({ admin1: a.grand_name, admin2: a.parent_name, admin3: 'Nowhere at all' });
			add({ admin2: a.parent_name });
			add({ admin3: a.name_en });
		}
		for (const a of l1) add({ admin1: a.name_en.toUpperCase() });
		add({ admin2: 'Madina' });
		add({ lon: 44.4, lat: 33.3, admin2: 'Madina' });
		add({ admin1: 'Atlantis' });
		add({});
		add({ lat: 33 });
		rows = out;
	}, 300_000);
	afterAll(async () => e?.close());

	it('places every row as import_place_row does, problems word for word', async () => {
		expect(rows.length).toBeGreaterThan(1500);
		const [set, row] = [await bySet(rows), await byRow(rows)];
		expect(set.length).toBe(rows.length);
		expect(set).toEqual(row);
		// The sample reaches every branch: each level by point, warnings and errors of each kind.
		expect(set.filter((p) => p.admin3_pcode && rows[p.ord - 2].lon != null).length).toBeGreaterThan(
			100
		);
		const reasons = set.map((p) => String(p.problem?.reason ?? ''));
		for (const phrase of [
			'outside every known admin area',
			'that the row names',
			'no area has the P-code',
			'is ambiguous',
			'was not found',
			'matches no',
			'no coordinates, P-code or area name'
		])
			expect(
				reasons.some((r) => r.includes(phrase)),
				phrase
			).toBe(true);
	}, 300_000);

	it('commits the placement import_place_row gives (import_placed), and checks the caller', async () => {
		const job = (
			await sqlAs<{ id: string }>(
				e.db,
				u.analyst,
				`select public.import_begin('incidents', 'place-set') as id`,
				[],
				true
			)
		)[0].id;
		await sqlAs(
			e.db,
			u.analyst,
			`select public.import_stage($1, $2::jsonb)`,
			[job, JSON.stringify(rows)],
			true
		);
		const placed = await sqlAs<Placed>(
			e.db,
			u.analyst,
			`select ord, lon, lat, geo_precision, admin1_pcode, admin2_pcode, admin3_pcode, problem
			   from public.import_placed($1) order by ord`,
			[job]
		);
		expect(placed).toEqual(await byRow(rows));
		await expect(
			sqlAs(e.db, u.field, `select * from public.import_placed($1)`, [job])
		).rejects.toThrow(/not yours/);
		await expect(sqlAs(e.db, 'anon', `select * from public.import_place('[]')`)).rejects.toThrow(
			/permission denied/
		);
		expect(await bySet([])).toEqual([]);
	}, 300_000);

	// Placement reads area_pieces (the outlines cut by ST_Subdivide, 20261213100000), which a
	// trigger on areas keeps current: a new area, a moved outline, a renamed P-code and a deleted
	// area are followed at once, by the set-based and the one-row placement alike. Runs last: it
	// adds (then deletes) an area of its own far from Iraq, so the rows above are not affected.
	it('follows an area added, moved, renamed and deleted (area_pieces kept current)', async () => {
		const square = (lon: number, lat: number) =>
			JSON.stringify({
				type: 'MultiPolygon',
				coordinates: [
					[
						[
							[lon - 1, lat - 1],
							[lon + 1, lat - 1],
							[lon + 1, lat + 1],
							[lon - 1, lat + 1],
							[lon - 1, lat - 1]
						]
					]
				]
			});
		const probe = [
			{ _row: 2, lon: 60, lat: 10 },
			{ _row: 3, lon: 63, lat: 10 }
		];
		const placedIn = async () => {
			const set = await bySet(probe);
			expect(set).toEqual(await byRow(probe));
			return set.map((p) => p.admin3_pcode);
		};
		expect(await placedIn()).toEqual([null, null]);
		await e.db.queryOwner(
			`insert into public.areas (pcode, level, name_en, geom)
			 values ('XXT1', 3, 'Test square', st_setsrid(st_geomfromgeojson($1), 4326))`,
			[square(60, 10)]
		);
		expect(await placedIn()).toEqual(['XXT1', null]);
		await e.db.queryOwner(
			`update public.areas set geom = st_setsrid(st_geomfromgeojson($1), 4326) where pcode = 'XXT1'`,
			[square(63, 10)]
		);
		expect(await placedIn()).toEqual([null, 'XXT1']);
		await e.db.queryOwner(`update public.areas set pcode = 'XXT2' where pcode = 'XXT1'`);
		expect(await placedIn()).toEqual([null, 'XXT2']);
		await e.db.queryOwner(`delete from public.areas where pcode = 'XXT2'`);
		expect(await placedIn()).toEqual([null, null]);
	}, 300_000);
});
