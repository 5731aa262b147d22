/**
 * The embedded engine's upkeep (src/lib/server/db/upkeep.ts) on PGlite itself: PGlite has no
 * autovacuum, so without it a table filled after the migrations keeps no statistics and no
 * visibility map, and the planner guesses. After an idle moment, upkeep gives the table both.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { PgliteAdapter } from '../../src/lib/server/db/pglite.ts';

const ROWS = 5000;

async function until(check: () => boolean, ms = 60_000): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error('upkeep did not come');
		await new Promise((r) => setTimeout(r, 50));
	}
}

describe('embedded upkeep on PGlite', () => {
	let db: PgliteAdapter;
	beforeAll(async () => {
		db = await PgliteAdapter.fromDump(new Blob([readFileSync(inject('pglite_migrated'))]));
		// One protest in ten: a planner without statistics guesses a fixed share instead.
		await db.execOwner(`
			insert into public.incidents (event_date, event_type, geom, sensitive_location)
			select date '2020-01-01' + (g % 700), case when g % 10 = 0 then 'protests' else 'battles' end,
			       st_setsrid(st_makepoint(44 + (g % 100) / 100.0, 33 + (g % 77) / 100.0), 4326), false
			from generate_series(1, ${ROWS}) g`);
	}, 120_000);
	afterAll(async () => db?.close());

	const estimate = async () => {
		const [plan] = await db.queryOwner<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
			`explain (format json) select * from public.incidents where event_type = 'protests'`
		);
		return plan['QUERY PLAN'][0].Plan['Plan Rows'];
	};
	const stats = () =>
		db.queryOwner<{ n: number; visible: number }>(
			`select (select count(*)::int from pg_stats where schemaname = 'public' and tablename = 'incidents') as n,
			        (select relallvisible from pg_class where oid = 'public.incidents'::regclass) as visible`
		);

	it('gives a table filled after the migrations its statistics and visibility map when idle', async () => {
		expect(await stats()).toEqual([{ n: 0, visible: 0 }]);
		expect(await estimate()).not.toBe(ROWS / 10);

		const upkeep = db.startUpkeep(undefined, 50);
		await until(() => upkeep.done.includes('public.incidents'));

		const [after] = await stats();
		expect(after.n).toBeGreaterThan(10); // a row per column
		expect(after.visible).toBeGreaterThan(0); // vacuumed, not only analysed
		expect(await estimate()).toBe(ROWS / 10);
		// Not the full-text index's, whose documents made ANALYZE several times slower
		// (20261231600000_search_index_statistics).
		const [{ fts }] = await db.queryOwner<{ fts: number }>(
			`select count(*)::int as fts from pg_stats where tablename = 'incidents_search_idx'`
		);
		expect(fts).toBe(0);
	});

	it('leaves a table alone until enough of it has changed, as autovacuum does', async () => {
		const upkeep = db.upkeep!;
		await until(() => !upkeep.running);
		const before = upkeep.done.length;
		await db.execOwner(
			`update public.incidents set fatalities = 1 where event_date = date '2020-01-01'`
		);
		await new Promise((r) => setTimeout(r, 500));
		expect(upkeep.done.slice(before)).not.toContain('public.incidents');
		// A tenth of the table and more: due again.
		await db.execOwner(
			`update public.incidents set fatalities = 2 where event_type = 'protests' or event_date < date '2020-03-01'`
		);
		await until(() => upkeep.done.slice(before).includes('public.incidents'));
	});

	it('still finds a table never analysed after the change counters were lost (a restart)', async () => {
		const upkeep = db.upkeep!;
		await until(() => !upkeep.running);
		await db.execOwner(`create table public.upkeep_probe as select g as id from generate_series(1, 3000) g;
		                    select pg_stat_reset();`);
		await until(() => upkeep.done.includes('public.upkeep_probe'));
		const [{ n }] = await db.queryOwner<{ n: number }>(
			`select count(*)::int as n from pg_stats where tablename = 'upkeep_probe'`
		);
		expect(n).toBe(1);
	});
});
