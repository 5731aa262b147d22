/**
 * The map's view of part of the country (20261221100000_map_part_view): with only the shared
 * filters, incidents_map counts the cell rollup's cells wholly inside the box and reads only the
 * incidents of the strips along its edges (dated, 20261225300000: the z8 cells' years and
 * months, and the incidents of the range's edge days in them). The answer is the scan's, for every
 * role, box, filter, point limit and `complete`. The scan is reached with a status filter naming
 * every status, which changes no row but is a further filter the rollup does not know.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import {
	engineNames,
	makeRoles,
	openEngine,
	sqlAs,
	type Engine
} from '../../tests/integration/helpers/db.ts';

const ALL_STATUSES = ['reported', 'verified', 'rejected', 'archived'];
type Box = { p_west: number; p_south: number; p_east: number; p_north: number };

describe.each(engineNames())('the map part view on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let boxes: Box[];

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
		// Sensitive incidents in the cities, so that a viewer's coarse point and an analyst's
		// exact one fall in different cells and strips.
		await e.db.execOwner(
			`update public.incidents set sensitive_location = true
			 where id in (select id from public.incidents
			              where (lon between 44.2 and 44.6 and lat between 33.2 and 33.5)
			                 or (lon between 42.9 and 43.4 and lat between 36.1 and 36.5)
			              order by id limit 150)`
		);
		// A box whose every edge runs through an incident's own coordinate: the incidents on
		// the edges are in the box (between is inclusive) and in no inner cell.
		const [edge] = await e.db.queryOwner<{ w: number; s: number; e: number; n: number }>(
			`select min(lon) as w, min(lat) as s, max(lon) as e, max(lat) as n from public.incidents
			 where lon between 43.0 and 43.3 and lat between 36.2 and 36.45`
		);
		boxes = [
			// Baghdad, narrower than 0.25°: the z12 cells
			{ p_west: 44.301, p_south: 33.2613, p_east: 44.4899, p_north: 33.4107 },
			// Mosul, the z10 cells
			{ p_west: 42.91, p_south: 36.1234, p_east: 43.4321, p_north: 36.5 },
			// the north-west, 4.5° wide: the z8 cells
			{ p_west: 41.03, p_south: 34.9, p_east: 45.53, p_north: 37.02 },
			{ p_west: edge.w, p_south: edge.s, p_east: edge.e, p_north: edge.n }
		];
		// Incidents on the inner cells' own edges: the one on the west edge is in an inner cell
		// and in the west strip's range, and must be counted once.
		for (const b of boxes.slice(0, 2)) {
			const moved = await e.db.queryOwner(
				`with c as (select * from public.incident_view_cells($1, $2, $3, $4)),
				      moved as (select id, row_number() over (order by id) as k from public.incidents
				                where lon between $1 and $3 and lat between $2 and $4 order by id limit 3)
				 update public.incidents i
				    set geom = st_setsrid(st_point(case m.k when 1 then c.w when 2 then (c.w + c.e) / 2 else c.w end,
				                                   case m.k when 1 then (c.s + c.n) / 2 when 2 then c.n else c.s end), 4326)
				   from moved m, c where i.id = m.id returning i.id`,
				[b.p_west, b.p_south, b.p_east, b.p_north]
			);
			expect(moved).toHaveLength(3);
		}
		// The same on the z8 block a dated view reads, on an edge day of the ranges below
		// (2014-03-20): the one on the south edge is in the strip, not in a cell.
		for (const b of boxes.slice(0, 2)) {
			const moved = await e.db.queryOwner(
				`with c as (select * from public.incident_view_cells($1, $2, $3, $4, true)),
				      moved as (select id, row_number() over (order by id desc) as k from public.incidents
				                where lon between $1 and $3 and lat between $2 and $4 order by id desc limit 3)
				 update public.incidents i
				    set geom = st_setsrid(st_point(case m.k when 1 then c.w when 2 then (c.w + c.e) / 2 else c.e end,
				                                   case m.k when 1 then (c.s + c.n) / 2 when 2 then c.n else c.s end), 4326),
				        event_date = '2014-03-20'
				   from moved m, c where i.id = m.id returning i.id`,
				[b.p_west, b.p_south, b.p_east, b.p_north]
			);
			expect(moved).toHaveLength(3);
		}
		// Sensitive incidents whose exact point is outside that block but whose coarse point (their
		// sub-district's) is inside, on the same edge day: a viewer's edge days are found by the
		// coarse point (20261226300000 tests the box on the point the caller sees).
		let straddling = 0;
		for (const b of boxes.slice(0, 2)) {
			const moved = await e.db.queryOwner(
				`with c as (select * from public.incident_view_cells($1, $2, $3, $4, true))
				 update public.incidents i set event_date = '2014-03-20'
				  where i.id in (select x.id from public.incidents x, c
				                 where x.geom_coarse is not null
				                   and x.lon between $1 and $3 and x.lat between $2 and $4
				                   and not (x.lon between c.w and c.e and x.lat between c.s and c.n)
				                   and x.lon_coarse between c.w and c.e and x.lat_coarse between c.s and c.n
				                 order by x.id limit 2)
				 returning i.id`,
				[b.p_west, b.p_south, b.p_east, b.p_north]
			);
			straddling += moved.length;
		}
		expect(straddling).toBeGreaterThan(0);
		const [{ n }] = await e.db.queryOwner<{ n: number }>(
			`select count(*)::int as n from public.incidents where geom_coarse is not null`
		);
		expect(n).toBeGreaterThan(100);
	}, 120_000);
	afterAll(async () => e?.close());

	it('has cells inside each box, at the level its width asks for', async () => {
		const levels: number[] = [];
		for (const b of boxes) {
			const [c] = await e.db.queryOwner<{ level: number; inside: boolean }>(
				`select level, cx0 <= cx1 and cy0 <= cy1 as inside
				 from public.incident_view_cells($1, $2, $3, $4)`,
				[b.p_west, b.p_south, b.p_east, b.p_north]
			);
			expect(c.inside).toBe(true);
			levels.push(c.level);
		}
		expect(levels.slice(0, 3)).toEqual([12, 10, 8]);
	});

	it('answers a view of part of the country as the scan does', async () => {
		const [range] = await e.db.queryOwner<{ first: string; last: string }>(
			`select min(event_date)::text as first, max(event_date)::text as last from public.incidents`
		);
		const filters: Record<string, unknown>[] = [
			{},
			{ p_types: ['battles', 'violence_against_civilians'] },
			{ p_area: ['IQG15'] },
			{ p_area: ['IQD1502', 'IQG21'] },
			// dates past the data's own first and last days filter nothing (the analysis map's)
			{ p_from: range.first, p_to: range.last },
			{ p_from: '1900-01-01', p_types: ['battles'] },
			// dated (20261225300000): the z8 cells' years and months, and the edge days' incidents
			{ p_from: '2014-01-01', p_to: '2016-06-30' },
			{ p_from: '2014-03-17', p_to: '2016-11-05' },
			{ p_from: '2016-03-05', p_to: '2016-04-10', p_types: ['battles'] },
			{ p_from: '2015-06-10', p_area: ['IQG15'] },
			{ p_to: '2016-06-17' }
		];
		let points = 0;
		let counted = 0;
		for (const role of ['admin', 'analyst', 'viewer'] as const) {
			for (const box of boxes) {
				for (const f of filters) {
					for (const [limit, complete] of [
						[50, false],
						[50, true],
						[20000, true]
					] as const) {
						const args = { ...box, ...f, p_limit: limit, p_complete: complete };
						const [part, scan] = await Promise.all([
							e.db.rpc<{ total: number; points: unknown[] }>('incidents_map', args, u[role]),
							e.db.rpc<unknown>('incidents_map', { ...args, p_status: ALL_STATUSES }, u[role])
						]);
						expect({ role, args, part }).toEqual({ role, args, part: scan });
						points += part.points.length;
						counted += Number(part.total);
					}
				}
			}
		}
		expect(points).toBeGreaterThan(1000);
		expect(counted).toBeGreaterThan(10000);
	});

	// Dated, on the z8 cells: a month row of a cell inside the box, changed by hand, shows in the
	// count; the scan does not change.
	it('reads the cell rollup for a dated view: a month row changed by hand shows', async () => {
		const box = boxes[1];
		const dated = {
			...box,
			p_from: '2014-03-17',
			p_to: '2016-11-05',
			p_limit: 10,
			p_complete: true
		};
		const [c] = await e.db.queryOwner<{ level: number }>(
			`select level from public.incident_view_cells($1, $2, $3, $4, true)`,
			[box.p_west, box.p_south, box.p_east, box.p_north]
		);
		expect(c.level).toBe(8);
		const total = async (args: Record<string, unknown>) =>
			Number((await e.db.rpc<{ total: number }>('incidents_map', args, u.analyst)).total);
		const before = await total(dated);
		// The rollup is partitioned: a ctid is one row only with its partition (tableoid).
		const bump = (d: number) =>
			e.db.execOwner(
				`update public.incident_cell_rollup set incidents = incidents + ${d}
				 where (tableoid, ctid) = (select r.tableoid, r.ctid from public.incident_cell_rollup r,
				                 public.incident_view_cells(${box.p_west}, ${box.p_south}, ${box.p_east}, ${box.p_north}, true) b
				               where r.level = 8 and r.period = 'month' and r.day between '2016-01-01' and '2016-10-01'
				                 and r.cx between b.cx0 and b.cx1 and r.cy between b.cy0 and b.cy1
				                 and r.point_kind in ('any', 'exact') limit 1)`
			);
		await bump(1000);
		try {
			expect(await total(dated)).toBe(before + 1000);
			expect(await total({ ...dated, p_status: ALL_STATUSES })).toBe(before);
		} finally {
			await bump(-1000);
		}
	});

	it('with complete, gives the points only when all of them fit', async () => {
		const box = boxes[1];
		const all = await e.db.rpc<{ total: number; points: unknown[] }>(
			'incidents_map',
			{ ...box, p_limit: 20000, p_complete: true },
			u.analyst
		);
		expect(all.points.length).toBe(Number(all.total));
		const capped = await e.db.rpc<{ total: number; points: unknown[] }>(
			'incidents_map',
			{ ...box, p_limit: Number(all.total) - 1, p_complete: true },
			u.analyst
		);
		expect({ total: capped.total, points: capped.points.length }).toEqual({
			total: all.total,
			points: 0
		});
		const open = await sqlAs<{ n: number }>(
			e.db,
			u.analyst,
			`select jsonb_array_length(public.incidents_map($1, $2, $3, $4, p_limit => $5) -> 'points') as n`,
			[box.p_west, box.p_south, box.p_east, box.p_north, Number(all.total) - 1]
		);
		expect(open[0].n).toBe(Number(all.total) - 1);
	});
});
