/**
 * The covering date index (20261227100000_incidents_date_covering): the dated reads no rollup
 * answers — the rhythm's, the top actors' and stats/sources' scans of a range — must be able to
 * read everything from `incidents_date_covering_idx` alone (an index-only scan), under the
 * reader's own row-level policies. If a reader, incidents_filtered or a read policy starts to
 * look at a column the index does not carry, these reads go back to one table page per incident
 * with no answer changing; this test is what notices.
 *
 * The planner is steered to an index (sequential and bitmap scans off: at the test's few thousand
 * incidents it would rightly scan the table), and the table is vacuumed so that its pages count
 * as visible. What is asserted is the plan's shape, never a time. The column lists are the
 * readers' (incidents_time_pattern, incidents_top_actors, incidents_sources in 80_analysis.sql;
 * the tiles' and the density's scans in 30_incidents.sql and 31_incident_cells.sql, which must
 * also name no geometry column of incidents: geom and geom_coarse are in no btree).
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

const READERS: Record<string, string> = {
	rhythm: 'i.time_precision, i.event_date, i.event_time',
	'top actors': 'i.actor1_id, i.actor2_id, i.fatalities, i.event_date',
	sources: 'i.upstream_source, i.event_date',
	// incident_tile_rows' scan (incidents_density's reads the same columns less id)
	tile: `i.id, i.event_type, i.fatalities, public.incident_xy_for_caller(i.lon, i.lat,
	        i.lon_coarse, i.lat_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, null)`,
	// incidents_map's points (a view whose counts came from the rollups)
	'map point': `i.id, i.event_type, i.fatalities, i.serious, i.event_date,
	        public.incident_xy_for_caller(i.lon, i.lat, i.lon_coarse, i.lat_coarse, i.admin1_pcode,
	        i.admin2_pcode, i.admin3_pcode, null)`,
	// the edge days of incident_tile_cells, incidents_density and incidents_map
	'edge day': `i.event_type, i.fatalities,
	        (i.lon_coarse, i.lat_coarse) is distinct from (i.lon, i.lat)`
};

/** The scans that place incidents on the map by the btree columns (20261228100000). */
const PLACERS = ['incident_tile_rows', 'incident_tile_cells', 'incidents_density'];

/** The filters a dated chart passes: dates alone, with a type and an area, with a box. */
const FILTERS = [
	`'2015-01-01', '2016-06-30'`,
	`'2015-01-01', '2016-06-30', array['battles'], array['IQG07']`,
	`'2015-01-01', '2016-06-30', null, null, 43.9, 33.0, 44.8, 33.6`
];

describe.each(engineNames())('the covering date index on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
		await e.db.execOwner('vacuum analyze public.incidents');
		// EXPLAIN of a query, run as the caller (security invoker), with the table scans off.
		await e.db.execOwner(`
			create function public.test_plan(q text) returns setof text
			language plpgsql volatile as $$
			begin
			  perform set_config('enable_seqscan', 'off', true);
			  perform set_config('enable_bitmapscan', 'off', true);
			  return query execute 'explain (costs off) ' || q;
			end $$;
			grant execute on function public.test_plan(text) to authenticated;`);
	}, 120_000);

	afterAll(async () => {
		await e?.close();
	});

	for (const role of ['analyst', 'viewer', 'field'] as const)
		for (const [reader, columns] of Object.entries(READERS))
			it(`${reader}'s dated scan for ${role === 'field' ? 'field staff' : role === 'analyst' ? 'an analyst' : 'a viewer'} reads the index alone`, async () => {
				for (const f of FILTERS) {
					const plan = (
						await sqlAs<{ test_plan: string }>(e.db, u[role], 'select public.test_plan($1)', [
							`select ${columns} from public.incidents_filtered(${f}) i`
						])
					)
						.map((r) => r.test_plan)
						.join('\n');
					expect(plan, `${reader}, ${f}`).toContain(
						'Index Only Scan using incidents_date_covering_idx'
					);
				}
			});

	it("the tiles' and the density's scans name no geometry column of incidents", async () => {
		for (const fn of PLACERS) {
			const [{ def }] = await e.db.queryOwner<{ def: string }>(
				`select pg_get_functiondef($1::regproc) as def`,
				[`public.${fn}`]
			);
			expect(def, fn).toContain('incident_');
			expect(def.match(/\b\w+\.geom(_coarse)?\b/g), fn).toBeNull();
		}
	});
});
