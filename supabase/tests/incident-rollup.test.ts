/**
 * The incident rollup (20261203150100_incident_rollup), its monthly twin
 * (20261220100000_incident_rollup_month), its yearly twin and its daily totals
 * (20261222100000_incident_rollup_year_calendar) and the all-time rhythm and actor rollups
 * (20261221200000_analysis_rollups): after inserts, edits, status changes, deletes and merges,
 * each equals a fresh GROUP BY of the incidents; incident_counts, incident_stats,
 * incidents_by_area, incidents_sources, incidents_calendar, incidents_time_pattern and
 * incidents_top_actors read from them give what the scan gives, per role (field staff, whose own
 * reports the summary cannot tell, keep the scan), fatalities not known (null) included
 * (20261231700000_rollup_month_fatalities_known); the RLS helpers are parallel safe.
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
                      count(*)::int as incidents, coalesce(sum(fatalities), 0)::int as fatalities,
                      count(fatalities)::int as fatalities_known
               from public.incidents group by 1, 2, 3, 4, 5, 6`;
const ROLLUP = `select day, event_type, admin1_pcode, admin2_pcode, status, confidentiality,
                       incidents::int, fatalities::int, fatalities_known::int from public.incident_rollup`;

const FRESH_MONTH = `select date_trunc('month', event_date)::date::text as month, event_type, admin1_pcode,
                             admin2_pcode, status, confidentiality, upstream_source,
                             count(*)::int as incidents, coalesce(sum(fatalities), 0)::int as fatalities,
                             count(fatalities)::int as fatalities_known
                      from public.incidents group by 1, 2, 3, 4, 5, 6, 7`;
const ROLLUP_MONTH = `select month::text, event_type, admin1_pcode, admin2_pcode, status, confidentiality,
                             upstream_source, incidents::int, fatalities::int, fatalities_known::int
                      from public.incident_rollup_month`;

const FRESH_YEAR = `select date_trunc('year', event_date)::date::text as year, event_type, admin1_pcode,
                            admin2_pcode, status, confidentiality, upstream_source,
                            count(*)::int as incidents, coalesce(sum(fatalities), 0)::int as fatalities
                     from public.incidents group by 1, 2, 3, 4, 5, 6, 7`;
const ROLLUP_YEAR = `select year::text, event_type, admin1_pcode, admin2_pcode, status, confidentiality,
                            upstream_source, incidents::int, fatalities::int from public.incident_rollup_year`;

const FRESH_MONTH_TYPE = `select date_trunc('month', event_date)::date::text as month, event_type, status,
                                  confidentiality, count(*)::int as incidents,
                                  coalesce(sum(fatalities), 0)::int as fatalities,
                                  count(fatalities)::int as fatalities_known
                           from public.incidents group by 1, 2, 3, 4`;
const ROLLUP_MONTH_TYPE = `select month::text, event_type, status, confidentiality, incidents::int,
                                  fatalities::int, fatalities_known::int from public.incident_rollup_month_type`;

const FRESH_CALENDAR = `select event_date::text as day, status, confidentiality, count(*)::int as incidents,
                                coalesce(sum(fatalities), 0)::int as fatalities, count(fatalities)::int as fatalities_known
                         from public.incidents group by 1, 2, 3`;
const ROLLUP_CALENDAR = `select day::text, status, confidentiality, incidents::int, fatalities::int,
                                fatalities_known::int from public.incident_rollup_calendar`;

const FRESH_RHYTHM = `select event_type, admin1_pcode, admin2_pcode, status, confidentiality,
                              case when time_precision in ('exact', 'day') then extract(isodow from event_date)::int end as dow,
                              case when time_precision = 'exact' and event_time is not null
                                   then extract(hour from event_time)::int end as hour,
                              count(*)::int as incidents
                       from public.incidents group by 1, 2, 3, 4, 5, 6, 7`;
const ROLLUP_RHYTHM = `select event_type, admin1_pcode, admin2_pcode, status, confidentiality, dow::int, hour::int,
                              incidents::int from public.incident_rollup_rhythm`;

const FRESH_RHYTHM_MONTH = `select date_trunc('month', event_date)::date::text as month, event_type, status, confidentiality,
                                    case when time_precision in ('exact', 'day') then extract(isodow from event_date)::int end as dow,
                                    case when time_precision = 'exact' and event_time is not null
                                         then extract(hour from event_time)::int end as hour,
                                    count(*)::int as incidents
                             from public.incidents group by 1, 2, 3, 4, 5, 6`;
const ROLLUP_RHYTHM_MONTH = `select month::text, event_type, status, confidentiality, dow::int, hour::int,
                                    incidents::int from public.incident_rollup_rhythm_month`;

// Each incident once per actor it names (the same actor on both sides once), or once with no actor:
// the totals per actor and the given keys ($keys: expressions on i, grouped by position).
const freshActor = (keys: string) => `select ${keys}, s.actor_id,
                            count(distinct i.id)::int as incidents,
                            count(*) filter (where s.side = 1)::int as as_actor1,
                            count(*) filter (where s.side = 2)::int as as_actor2,
                            coalesce(sum(i.fatalities) filter (where s.first), 0)::int as fatalities
                     from public.incidents i
                     cross join lateral (select i.actor1_id as actor_id, 1 as side, true as first
                                         where i.actor1_id is not null
                                         union all
                                         select i.actor2_id, 2, i.actor2_id is distinct from i.actor1_id
                                         where i.actor2_id is not null
                                         union all
                                         select null, 0, true where i.actor1_id is null and i.actor2_id is null) s
                     group by ${keys}, s.actor_id`;
const FRESH_ACTOR = freshActor(
	'i.event_type, i.admin1_pcode, i.admin2_pcode, i.status, i.confidentiality'
);
const ROLLUP_ACTOR = `select event_type, admin1_pcode, admin2_pcode, status, confidentiality, actor_id,
                             incidents::int, as_actor1::int,
                             as_actor2::int, fatalities::int from public.incident_rollup_actor`;
// The same per month, without the areas.
const FRESH_ACTOR_MONTH = freshActor(
	"date_trunc('month', i.event_date)::date::text, i.event_type, i.status, i.confidentiality"
);
const ROLLUP_ACTOR_MONTH = `select month::text as date_trunc, event_type, status, confidentiality, actor_id, incidents::int,
                                   as_actor1::int, as_actor2::int, fatalities::int
                            from public.incident_rollup_actor_month`;

/** The same counts through the scan: what incident_counts answered before the summary. */
const SCAN = `with f as (select * from public.incidents_filtered($1::date, $2::date, $3::text[],
                                                            array_remove(array[$4::text], null)))
              select count(*)::int as total, coalesce(sum(fatalities), 0)::int as fatalities,
                     (select coalesce(jsonb_object_agg(y, n), '{}') from
                       (select extract(year from event_date)::int as y, count(*) as n from f group by 1) t) as by_year,
                     (select coalesce(jsonb_object_agg(event_type, n), '{}') from
                       (select event_type, count(*) as n from f group by 1) t) as by_type,
                     (select coalesce(jsonb_object_agg(coalesce(admin1_pcode, 'none'), n), '{}') from
                       (select admin1_pcode, count(*) as n from f group by 1) t) as by_admin1
              from f`;

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
		const [freshMonth, rollupMonth] = await Promise.all([
			e.db.queryOwner<Record<string, unknown>>(FRESH_MONTH),
			e.db.queryOwner<Record<string, unknown>>(ROLLUP_MONTH)
		]);
		expect(rollupMonth.length).toBe(freshMonth.length);
		expect(sorted(rollupMonth)).toEqual(sorted(freshMonth));
		for (const [freshSql, rollupSql] of [
			[FRESH_YEAR, ROLLUP_YEAR],
			[FRESH_MONTH_TYPE, ROLLUP_MONTH_TYPE],
			[FRESH_CALENDAR, ROLLUP_CALENDAR],
			[FRESH_RHYTHM, ROLLUP_RHYTHM],
			[FRESH_RHYTHM_MONTH, ROLLUP_RHYTHM_MONTH],
			[FRESH_ACTOR, ROLLUP_ACTOR],
			[FRESH_ACTOR_MONTH, ROLLUP_ACTOR_MONTH]
		]) {
			const [f, r] = await Promise.all([
				e.db.queryOwner<Record<string, unknown>>(freshSql),
				e.db.queryOwner<Record<string, unknown>>(rollupSql)
			]);
			expect(r.length).toBe(f.length);
			expect(sorted(r)).toEqual(sorted(f));
		}
	}

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
	}, 120_000);
	afterAll(async () => e?.close());

	it('starts equal to the incidents (the migration filled it)', async () => {
		const [{ n, m, t, y, c, h, hm, a, am }] = await e.db.queryOwner<{
			n: number;
			m: number;
			t: number;
			y: number;
			c: number;
			h: number;
			hm: number;
			a: number;
			am: number;
		}>(
			`select (select count(*)::int from public.incident_rollup) as n,
			        (select count(*)::int from public.incident_rollup_month) as m,
			        (select count(*)::int from public.incident_rollup_month_type) as t,
			        (select count(*)::int from public.incident_rollup_year) as y,
			        (select count(*)::int from public.incident_rollup_calendar) as c,
			        (select count(*)::int from public.incident_rollup_rhythm) as h,
			        (select count(*)::int from public.incident_rollup_rhythm_month) as hm,
			        (select count(*)::int from public.incident_rollup_actor) as a,
			        (select count(*)::int from public.incident_rollup_actor_month) as am`
		);
		expect(n).toBeGreaterThan(100);
		expect(m).toBeGreaterThan(100);
		expect(t).toBeGreaterThan(100);
		expect(y).toBeGreaterThan(100);
		expect(c).toBeGreaterThan(100);
		expect(h).toBeGreaterThan(100);
		expect(hm).toBeGreaterThan(100);
		expect(a).toBeGreaterThan(100);
		expect(am).toBeGreaterThan(100);
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
		// Known times, the same actor on both sides, no actor at all: what the rhythm and actor
		// rollups tell apart.
		await e.db.execOwner(
			`update public.incidents set time_precision = 'exact', event_time = make_time((abs(hashtext(id::text)) % 24), 15, 0)
			 where id in (select id from public.incidents order by md5(id::text) limit 300)`
		);
		await e.db.execOwner(
			`update public.incidents set fatalities = null
			 where event_date in (select event_date from public.incidents order by md5(event_date::text) limit 30)`
		);
		await e.db.execOwner(
			`update public.incidents set actor2_id = actor1_id
			 where id in (select id from public.incidents where actor1_id is not null order by md5(id::text) limit 40)`
		);
		await e.db.execOwner(
			`update public.incidents set actor1_id = null, actor2_id = null
			 where id in (select id from public.incidents where actor1_id is not null order by md5(id::text) desc limit 40)`
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
			// not whole months: the day rollup
			['2014-01-05', '2017-12-20', ['battles', 'explosions_remote_violence'], null],
			[null, null, null, 'IQG15'],
			['2010-01-01', null, null, 'IQD1502'],
			// whole years from the year rollup, the months around them from the month rollup
			['2014-03-01', '2017-10-31', null, null],
			[null, '2016-06-30', ['battles'], 'IQG15'],
			// whole months inside one year: no whole year
			['2016-03-01', '2016-08-31', null, null],
			// odd ends (incident_rollup_range_rows): whole years, whole months and the ends' days
			['2014-03-17', '2016-11-05', null, null],
			['2014-03-17', '2016-11-05', ['battles'], 'IQG15'],
			// inside one month; over two months and over a new year with no whole month between
			['2016-03-05', '2016-03-20', null, null],
			['2016-03-05', '2016-04-10', null, null],
			['2016-12-05', '2017-01-20', null, null],
			// one odd end: from alone, to alone, an odd start to a month's end, a month's start
			// to an odd end
			['2015-06-10', null, null, null],
			[null, '2016-06-17', null, 'IQG15'],
			['2016-02-15', '2016-05-31', null, null],
			['2016-03-01', '2016-05-17', null, null]
		];
		let answered = 0;
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
				const [scan] = await sqlAs<{
					total: number;
					fatalities: number;
					by_year: object;
					by_type: object;
					by_admin1: object;
				}>(e.db, u[role], SCAN, [from, to, types, area]);
				// Each group, not only the sums: a year's count from the year rollup must be the
				// year's, not its months' or another year's.
				expect({ role, from, to, types, area, counts }).toEqual({
					role,
					from,
					to,
					types,
					area,
					counts: scan
				});
				if (scan.total > 0) answered++;
			}
		}
		expect(answered).toBeGreaterThan(60);
	});

	// Odd dates (20261225100000): the whole years and months from the year and month rollups, only
	// the ends' days from the day rollup. A row of each changed by hand shows in the counts, the
	// areas, the map's whole view and the sources (20261226100000; they read the ends' days from
	// the incidents, the day rollup having no source); a day inside the whole months does not
	// (the day rollup is not summed over the range), nor does the scan change. The monthly chart
	// reads months, not years: a month inside the whole year shows there alone.
	it('answers odd dates from the year, month and day rollups: rows changed by hand show', async () => {
		const range = { p_from: '2014-03-17', p_to: '2016-11-05' };
		const WHOLE = {
			p_west: 30,
			p_south: 20,
			p_east: 60,
			p_north: 45,
			p_limit: 10,
			p_complete: true
		};
		const totals = async () => {
			const [counts, areas, map, stats, sources] = await Promise.all([
				e.db.rpc<{ total: number }>('incident_counts', range, u.analyst),
				e.db.rpc<{ total: number }>('incidents_by_area', { ...range, p_level: 2 }, u.analyst),
				e.db.rpc<{ total: number }>('incidents_map', { ...WHOLE, ...range }, u.analyst),
				e.db.rpc<{ total: number }>(
					'incident_stats',
					{ ...range, p_by: 'month', p_group: 'area1' },
					u.analyst
				),
				e.db.rpc<{ n: number }[]>('incidents_sources', range, u.analyst)
			]);
			return [
				...[counts, areas, map, stats].map((x) => Number(x.total)),
				sources.reduce((t, x) => t + Number(x.n), 0)
			];
		};
		const scan = async () =>
			Number(
				(
					await e.db.rpc<{ total: number }>(
						'incidents_map',
						{ ...WHOLE, ...range, p_status: ['reported', 'verified', 'rejected', 'archived'] },
						u.analyst
					)
				).total
			);
		const before = await totals();
		const scanned = await scan();
		expect(before).toEqual([scanned, scanned, scanned, scanned, scanned]);
		const all = [1000, 1000, 1000, 1000, 1000];
		const cases: [string, string, string, string, number[]][] = [
			// table, its date column, a row between two dates, what its change shows in the counts,
			// the areas, the whole view, the monthly chart and the sources (20261226100000: the day
			// rollup has no source, so the sources read the ends' days from the incidents)
			['incident_rollup', 'day', '2014-03-17', '2014-03-31', [1000, 1000, 1000, 1000, 0]], // the first end's days
			['incident_rollup', 'day', '2016-11-01', '2016-11-05', [1000, 1000, 1000, 1000, 0]], // the last end's days
			['incident_rollup', 'day', '2015-06-01', '2015-06-30', [0, 0, 0, 0, 0]], // not read
			['incident_rollup_month', 'month', '2014-04-01', '2014-12-01', all], // a month before 2015
			['incident_rollup_month', 'month', '2016-01-01', '2016-10-01', all], // a month after 2015
			['incident_rollup_month', 'month', '2015-01-01', '2015-12-01', [0, 0, 0, 1000, 0]],
			['incident_rollup_year', 'year', '2015-01-01', '2015-01-01', [1000, 1000, 1000, 0, 1000]]
		];
		for (const [table, col, from, until, shows] of cases) {
			const [row] = await e.db.queryOwner<{ d: string }>(
				`select ${col}::text as d from public.${table} where ${col} >= $1 and ${col} <= $2
				 order by ${col} limit 1`,
				[from, until]
			);
			expect({ table, from, row }).toEqual({ table, from, row: expect.anything() });
			const bump = (d: number) =>
				e.db.execOwner(
					`update public.${table} set incidents = incidents + ${d}
					 where ctid = (select ctid from public.${table} where ${col} = '${row.d}' limit 1)`
				);
			await bump(1000);
			try {
				const after = await totals();
				expect({ table, day: row.d, after }).toEqual({
					table,
					day: row.d,
					after: before.map((n, i) => n + shows[i])
				});
				expect(await scan()).toBe(scanned);
			} finally {
				await bump(-1000);
			}
		}
	});

	// The rollups keep no count of known fatalities: a group whose incidents all have none is 0
	// there and null in the scan (as before the month rollup; the day rollup did the same).
	// A viewport over the whole world takes the scan (incident_rollup_usable), with the same
	// incidents: the rollups' answer must be the scan's, first and last days included.
	it('answers stats, areas and sources from the year and month rollups as the scan does', async () => {
		const WORLD = { p_west: -180, p_south: -90, p_east: 180, p_north: 90 };
		const [{ n }] = await e.db.queryOwner<{ n: number }>(
			`select count(*)::int as n from public.incidents
			 where not (lon between -180 and 180 and lat between -90 and 90)`
		);
		expect(n).toBe(0);
		// Fatalities not known (the demo data knows them all): the attacks on civilians before
		// 2015, every incident of March 2016 (a whole month) and of 2–8 April 2016 (days at an odd
		// end), so that bins and groups none of whose incidents has a figure are compared.
		await e.db.queryOwner(
			`update public.incidents set fatalities = null
			 where (event_type = 'violence_against_civilians' and event_date < '2015-01-01')
			    or event_date between '2016-03-01' and '2016-03-31'
			    or event_date between '2016-04-02' and '2016-04-08'`
		);
		await expectFresh();
		const [{ quiet }] = await e.db.queryOwner<{ quiet: string }>(
			`select a.pcode as quiet from public.areas a
			 where a.level = 2 and not exists (select 1 from public.incidents i where i.admin2_pcode = a.pcode)
			 order by a.pcode limit 1`
		);
		const filters: Record<string, unknown>[] = [
			{},
			{ p_from: '2014-01-01', p_to: '2017-12-31', p_types: ['battles', 'riots'] },
			{ p_area: ['IQG15'] },
			{ p_from: '2016-03-01', p_to: '2016-08-31', p_area: ['IQD1502'] },
			// not whole months: whole years and months, and the ends' days from the day rollup
			{ p_from: '2014-01-05', p_to: '2017-12-20' },
			{ p_from: '2014-03-17', p_to: '2016-11-05', p_area: ['IQG15'] },
			{ p_from: '2016-03-05', p_to: '2016-04-10' },
			{ p_from: '2016-12-05', p_to: '2017-01-20', p_types: ['battles'] },
			{ p_from: '2015-06-10' },
			// whole years and the months around them (areas: the year and month rollups)
			{ p_from: '2014-03-01', p_to: '2017-10-31', p_types: ['battles'] },
			{ p_to: '2016-06-30', p_area: ['IQG15'] },
			// several areas with odd dates, and areas with no incident (a quiet district; types none
			// of a governorate's incidents has): their first and last days from the (area, day) indexes
			{ p_from: '2016-02-03', p_to: '2016-09-20', p_area: ['IQG15Q05', 'IQG07'] },
			{ p_area: [quiet] },
			{ p_area: ['IQG15', quiet], p_types: ['battles'] },
			{ p_area: ['IQG07'], p_types: ['riots', 'protests'] }
		];
		const edges: string[] = [];
		let unknownBins = 0;
		for (const role of ['admin', 'analyst', 'viewer'] as const) {
			for (const f of filters) {
				const calls: [string, Record<string, unknown>][] = [
					['incident_stats', { ...f, p_by: 'month', p_group: 'type' }],
					['incident_stats', { ...f, p_by: 'month', p_group: 'none' }],
					['incident_stats', { ...f, p_by: 'month', p_group: 'area2' }],
					['incident_stats', { ...f, p_by: 'week', p_group: 'area1' }],
					['incident_stats', { ...f, p_by: 'day', p_group: 'type' }],
					['incidents_by_area', { ...f, p_level: 1 }],
					['incidents_by_area', { ...f, p_level: 2 }],
					['incidents_sources', f]
				];
				for (const [fn, args] of calls) {
					const [fromRollup, fromScan] = await Promise.all([
						e.db.rpc<unknown>(fn, args, u[role]),
						e.db.rpc<unknown>(fn, { ...args, ...WORLD }, u[role])
					]);
					// exactly, a bin or group none of whose incidents has a known figure included: null
					// from the scan (sum of nulls), and so from the rollups (their fatalities_known)
					expect({ role, fn, args, answer: fromRollup }).toEqual({
						role,
						fn,
						args,
						answer: fromScan
					});
					if (fn === 'incident_stats')
						unknownBins += JSON.stringify(fromScan).split('"fatalities":null').length - 1;
					for (const m of JSON.stringify(fromScan).matchAll(/"(?:first|last)_date":"([0-9-]+)"/g))
						edges.push(m[1]);
				}
			}
		}
		// Some of the edge days compared are not a month's first day (the month rollup's rows'):
		// the comparison above can tell a month from a day.
		expect(edges.filter((d) => !d.endsWith('-01')).length).toBeGreaterThan(5);
		// Bins of unknown fatalities were compared, by day and by month, so the comparison can
		// tell null from 0.
		expect(unknownBins).toBeGreaterThan(10);
	});

	// The calendar from the day rollup, dated or not; undated, the analysis screen's default,
	// the rhythm and top actors from their rollups.
	it('answers the calendar, the rhythm and the top actors from the rollups as the scan does', async () => {
		const WORLD = { p_west: -180, p_south: -90, p_east: 180, p_north: 90 };
		const filters: Record<string, unknown>[] = [
			{},
			{ p_types: ['battles', 'riots'] },
			{ p_area: ['IQG15'] },
			{ p_area: ['IQD1502', 'IQG21'], p_types: ['battles'] }
		];
		let hours = 0;
		let repeats = 0;
		let unknownDays = 0;
		for (const role of ['admin', 'analyst', 'viewer'] as const) {
			for (const f of filters) {
				const calls: [string, Record<string, unknown>][] = [
					['incidents_calendar', f],
					['incidents_calendar', { ...f, p_from: '2013-01-01', p_to: '2016-06-17' }],
					['incidents_time_pattern', f],
					// dated: whole months from the monthly rhythm, odd ends from the incidents
					['incidents_time_pattern', { ...f, p_from: '2013-01-17', p_to: '2016-06-17' }],
					['incidents_time_pattern', { ...f, p_from: '2014-02-01', p_to: '2014-02-28' }],
					['incidents_time_pattern', { ...f, p_from: '2014-02-03', p_to: '2014-02-20' }],
					['incidents_time_pattern', { ...f, p_from: '2015-05-09' }],
					['incidents_time_pattern', { ...f, p_to: '2014-10-30' }],
					['incidents_top_actors', { ...f, p_limit: 12 }],
					['incidents_top_actors', { ...f, p_limit: 100 }],
					// dated: whole months from the monthly actor totals, odd ends from the incidents
					[
						'incidents_top_actors',
						{ ...f, p_from: '2013-01-17', p_to: '2016-06-17', p_limit: 100 }
					],
					['incidents_top_actors', { ...f, p_from: '2014-02-01', p_to: '2014-02-28', p_limit: 12 }],
					[
						'incidents_top_actors',
						{ ...f, p_from: '2014-02-03', p_to: '2014-02-20', p_limit: 100 }
					],
					['incidents_top_actors', { ...f, p_from: '2015-05-09', p_limit: 5 }],
					['incidents_top_actors', { ...f, p_to: '2014-10-30', p_limit: 100 }]
				];
				for (const [fn, args] of calls) {
					const [fromRollup, fromScan] = await Promise.all([
						e.db.rpc<Record<string, unknown>>(fn, args, u[role]),
						e.db.rpc<Record<string, unknown>>(fn, { ...args, ...WORLD }, u[role])
					]);
					expect({ role, fn, args, answer: fromRollup }).toEqual({
						role,
						fn,
						args,
						answer: fromScan
					});
					if (fn === 'incidents_calendar')
						unknownDays += JSON.stringify(fromScan.days).split(',null]').length - 1;
					else if (fn === 'incidents_time_pattern') hours += Number(fromScan.with_time);
					else
						for (const a of fromScan.actors as {
							as_actor1: number;
							as_actor2: number;
							n: number;
						}[])
							repeats += a.as_actor1 + a.as_actor2 - a.n;
				}
			}
		}
		// The date range every analysis page asks first: from the rollups, as the incidents say.
		for (const role of ['admin', 'analyst', 'field', 'viewer'] as const) {
			const range = await e.db.rpc<unknown>('incidents_date_range', {}, u[role]);
			const [scan] = await sqlAs<{ r: unknown }>(
				e.db,
				u[role],
				`select jsonb_build_object('first_date', min(event_date), 'last_date', max(event_date),
				                           'total', count(*)) as r from public.incidents_filtered()`
			);
			expect({ role, range }).toEqual({ role, range: scan.r });
		}
		// The comparison saw known hours and incidents with the same actor on both sides.
		expect(hours).toBeGreaterThan(100);
		expect(unknownDays).toBeGreaterThan(10);
		expect(repeats).toBeGreaterThan(10);
	});

	it("gives a viewer's summary rows only verified unrestricted incidents", async () => {
		for (const table of [
			'incident_rollup',
			'incident_rollup_month',
			'incident_rollup_month_type',
			'incident_rollup_year',
			'incident_rollup_calendar',
			'incident_rollup_rhythm',
			'incident_rollup_rhythm_month',
			'incident_rollup_actor',
			'incident_rollup_actor_month'
		]) {
			const rows = await sqlAs<{ status: string; confidentiality: string }>(
				e.db,
				u.viewer,
				`select distinct status, confidentiality from public.${table}`
			);
			// Each table shows the viewer something, and only what the viewer may count.
			expect({ table, rows: rows.length > 0 }).toEqual({ table, rows: true });
			for (const r of rows)
				expect({ table, ...r }).toEqual({
					table,
					status: 'verified',
					confidentiality: expect.not.stringMatching(/^restricted$/)
				});
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
