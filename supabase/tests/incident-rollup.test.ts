/**
 * The incident rollup (20261203150100_incident_rollup): after inserts, edits, status changes,
 * deletes and merges, the summary equals a fresh GROUP BY of the incidents; incident_counts read
 * from it gives what the scan gives, per role (field staff, whose own reports the summary cannot
 * tell, keep the scan); the RLS helpers are parallel safe.
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

const FRESH = `select event_date as day, event_type, admin1_pcode, admin2_pcode, status, confidentiality,
                      count(*)::int as incidents, coalesce(sum(fatalities), 0)::int as fatalities
               from public.incidents group by 1, 2, 3, 4, 5, 6`;
const ROLLUP = `select day, event_type, admin1_pcode, admin2_pcode, status, confidentiality,
                       incidents::int, fatalities::int from public.incident_rollup`;

/** The same counts through the scan: what incident_counts answered before the summary. */
const SCAN = `select count(*)::int as total, coalesce(sum(fatalities), 0)::int as fatalities
              from public.incidents_filtered($1::date, $2::date, $3::text[], array_remove(array[$4::text], null))`;

describe.each(engineNames())('incident rollup on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	const ids: string[] = [];

	const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();
	async function expectFresh() {
		const [fresh, rollup] = await Promise.all([
			e.db.queryOwner<Record<string, unknown>>(FRESH),
			e.db.queryOwner<Record<string, unknown>>(ROLLUP)
		]);
		expect(rollup.length).toBe(fresh.length);
		expect(sorted(rollup)).toEqual(sorted(fresh));
	}

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
	}, 120_000);
	afterAll(async () => e?.close());

	it('starts equal to the incidents (the migration filled it)', async () => {
		const [{ n }] = await e.db.queryOwner<{ n: number }>(
			'select count(*)::int as n from public.incident_rollup'
		);
		expect(n).toBeGreaterThan(100);
		await expectFresh();
	});

	it('stays equal after inserts, edits, transitions, deletes and a merge', async () => {
		for (const [as, p] of [
			[
				u.field,
				{ event_date: '2024-03-01', event_type: 'battles', lon: 44.36, lat: 33.31, fatalities: 2 }
			],
			[
				u.analyst,
				{ event_date: '2024-03-01', event_type: 'battles', lon: 44.37, lat: 33.3, fatalities: 1 }
			],
			[
				u.analyst,
				{
					event_date: '2024-03-02',
					event_type: 'riots',
					lon: 43.1,
					lat: 36.3,
					confidentiality: 'restricted'
				}
			]
		] as const) {
			const r = await e.db.rpc<{ incident: { id: string } }>('incident_create', { p }, as);
			ids.push(r.incident.id);
		}
		await expectFresh();

		await e.db.rpc(
			'incident_update',
			{ p_id: ids[1], p: { fatalities: 7, event_date: '2024-02-20' } },
			u.analyst
		);
		await e.db.rpc('incident_update', { p_id: ids[2], p: { lon: 44.37, lat: 33.3 } }, u.analyst);
		await e.db.rpc('incident_update', { p_id: ids[2], p: { notes: 'only the notes' } }, u.analyst);
		await e.db.rpc(
			'incident_transition',
			{ p_id: ids[0], p_to: 'verified', p_reason: null },
			u.analyst
		);
		await expectFresh();

		await e.db.rpc(
			'incident_merge',
			{ p_keep: ids[0], p_merge: ids[1], p_reason: 'same' },
			u.analyst
		);
		await expectFresh();

		// A bulk edit and a bulk delete, as the owner (one statement, many rows).
		await e.db.execOwner(
			`update public.incidents set fatalities = fatalities + 1 where event_type = 'riots'`
		);
		await e.db.execOwner(
			`delete from public.incidents i where i.id in (select id from public.incidents where merged_into is null
			 and id not in (select merged_into from public.incidents where merged_into is not null) order by id limit 50)`
		);
		await expectFresh();
	});

	it('answers incident_counts as the scan does, for every role and filter', async () => {
		const filters: [string | null, string | null, string[] | null, string | null][] = [
			[null, null, null, null],
			['2014-01-01', '2017-12-31', ['battles', 'explosions_remote_violence'], null],
			[null, null, null, 'IQG15'],
			['2010-01-01', null, null, 'IQD1502']
		];
		for (const role of ['admin', 'analyst', 'field', 'viewer'] as const) {
			for (const [from, to, types, area] of filters) {
				const counts = await e.db.rpc<{
					total: number;
					fatalities: number;
					by_year: object;
					by_type: object;
					by_admin1: object;
				}>(
					'incident_counts',
					{ p_from: from, p_to: to, p_types: types, p_area: area && [area] },
					u[role]
				);
				const [scan] = await sqlAs<{ total: number; fatalities: number }>(e.db, u[role], SCAN, [
					from,
					to,
					types,
					area
				]);
				expect({ role, area, total: counts.total, fatalities: counts.fatalities }).toEqual({
					role,
					area,
					total: scan.total,
					fatalities: scan.fatalities
				});
				const sum = (o: object) => Object.values(o).reduce((s: number, n) => s + Number(n), 0);
				expect(sum(counts.by_year)).toBe(scan.total);
				expect(sum(counts.by_type)).toBe(scan.total);
				expect(sum(counts.by_admin1)).toBe(scan.total);
			}
		}
	});

	it("gives a viewer's summary rows only verified unrestricted incidents", async () => {
		const rows = await sqlAs<{ status: string; confidentiality: string }>(
			e.db,
			u.viewer,
			'select distinct status, confidentiality from public.incident_rollup'
		);
		expect(rows.length).toBeGreaterThan(0);
		for (const r of rows) {
			expect(r.status).toBe('verified');
			expect(r.confidentiality).not.toBe('restricted');
		}
	});

	it('marks the RLS helpers stable and parallel safe', async () => {
		const rows = await e.db.queryOwner<{ name: string; provolatile: string; proparallel: string }>(
			`select n.nspname || '.' || p.proname as name, p.provolatile, p.proparallel from pg_proc p
			 join pg_namespace n on n.oid = p.pronamespace
			 where (n.nspname, p.proname) in (('public', 'has_app_role'), ('public', 'current_app_role'),
			                                  ('auth', 'uid'), ('auth', 'jwt'))`
		);
		expect(rows).toHaveLength(4);
		for (const r of rows)
			expect({ ...r, provolatile: r.provolatile, proparallel: r.proparallel }).toEqual({
				name: r.name,
				provolatile: 's',
				proparallel: 's'
			});
	});
});
