/**
 * Analysis benchmark: the aggregation functions behind the analysis screen, the baseline and
 * proximity with N synthetic incidents (default 100k, then 1M on the same database: the synthetic
 * loader only adds rows), on PGlite and — with BENCH_DATABASE_URL or TEST_DATABASE_URL — on
 * PostgreSQL + PostGIS. For each query it prints the median of 5 runs
 *   app      the SQL function called through the seam as an analyst (set local role, RLS,
 *            public.incidents_filtered, jsonb answer) — what the API and the pages pay;
 *   viewer   the same as a viewer (RLS keeps only verified, unrestricted incidents);
 *   direct   the same aggregation written as one plain SELECT on public.incidents, run as the
 *            owner (no RLS, no function, rows instead of jsonb) — the floor;
 *   inlined  "app" again after `alter function incidents_filtered … reset search_path` on this
 *            throwaway database: a function with a SET clause is never inlined, so every caller
 *            materialises all matching incidents, every column, before aggregating them. This
 *            column is what the shared filter would cost if it could be inlined.
 *   npx tsx scripts/bench-analysis.ts [N1,N2,…]     e.g. 100000 or 100000,1000000
 *   BENCH_ENGINES=postgres … skips PGlite (pglite, postgres or both)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onEachEngine } from './on-each-engine.ts';
import { migrate } from '../src/lib/server/db/migrate.ts';
import type { Adapter, AppRole, CallerUser } from '../src/lib/server/db/types.ts';
import { seedDemo, seedSynthetic } from '../src/lib/server/seed/index.ts';

const ROOT = join(import.meta.dirname, '..');
const SIZES = (process.argv[2] ?? '100000,1000000').split(',').map(Number);
const ENGINES = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',');

interface Case {
	label: string;
	fn: string;
	args: Record<string, unknown>;
	/** The same aggregation as one plain query (owner, no RLS). */
	direct: string;
}

const FILTER_ARGS =
	'date, date, text[], text[], double precision, double precision, double precision, double precision';

const CASES: Case[] = [
	{
		label: 'incidents per month × type, all years',
		fn: 'incident_stats',
		args: { p_by: 'month', p_group: 'type' },
		direct: `select date_trunc('month', event_date)::date, event_type, count(*), sum(fatalities) from public.incidents group by 1, 2`
	},
	{
		label: 'incidents per ISO week × governorate, 2014',
		fn: 'incident_stats',
		args: { p_by: 'week', p_group: 'area1', p_from: '2014-01-01', p_to: '2014-12-31' },
		direct: `select date_trunc('week', event_date)::date, admin1_pcode, count(*), sum(fatalities) from public.incidents
		         where event_date between '2014-01-01' and '2014-12-31' group by 1, 2`
	},
	{
		label: 'incidents per day × type, Ninewa, 2016–2017',
		fn: 'incident_stats',
		args: {
			p_by: 'day',
			p_group: 'type',
			p_area: ['IQG15'],
			p_from: '2016-01-01',
			p_to: '2017-12-31'
		},
		direct: `select event_date, event_type, count(*), sum(fatalities) from public.incidents
		         where event_date between '2016-01-01' and '2017-12-31'
		           and ('IQG15' in (admin1_pcode, admin2_pcode, admin3_pcode)) group by 1, 2`
	},
	{
		label: 'per district (with zeros)',
		fn: 'incidents_by_area',
		args: { p_level: 2 },
		direct: `select a.pcode, count(i.id), coalesce(sum(i.fatalities), 0) from public.areas a
		         left join public.incidents i on i.admin2_pcode = a.pcode where a.level = 2 group by a.pcode`
	},
	{
		label: 'calendar, per day, all years',
		fn: 'incidents_calendar',
		args: {},
		direct: `select event_date, count(*), sum(fatalities) from public.incidents group by 1`
	},
	{
		label: 'hour of day / day of week',
		fn: 'incidents_time_pattern',
		args: {},
		direct: `select extract(isodow from event_date), count(*) from public.incidents where time_precision in ('exact', 'day') group by 1`
	},
	{
		label: 'top 10 actors',
		fn: 'incidents_top_actors',
		args: { p_limit: 10 },
		direct: `select actor_id, count(distinct id) from (select id, actor1_id as actor_id from public.incidents where actor1_id is not null
		         union all select id, actor2_id from public.incidents where actor2_id is not null) s group by 1 order by 2 desc limit 10`
	},
	{
		label: 'baseline table, every area + country, as of 2017-07-10',
		fn: 'baseline_table',
		args: { p_as_of: '2017-07-10' },
		direct: `select coalesce(admin1_pcode, admin2_pcode, admin3_pcode), grouping(admin1_pcode, admin2_pcode, admin3_pcode),
		                count(*) filter (where event_date > date '2017-07-10' - 7), count(*) filter (where event_date > date '2017-07-10' - 28),
		                count(*) filter (where event_date <= date '2017-07-10' - 28)
		         from public.incidents where event_date between date '2017-07-10' - 391 and date '2017-07-10'
		         group by grouping sets ((admin1_pcode), (admin2_pcode), (admin3_pcode), ())`
	},
	{
		label: 'one area baseline with 56 weeks (Ninewa)',
		fn: 'area_baseline',
		args: { p_pcode: 'IQG15', p_as_of: '2017-07-10' },
		direct: `select (date '2017-07-10' - event_date) / 7, count(*) from public.incidents
		         where event_date between date '2017-07-10' - 391 and date '2017-07-10' and 'IQG15' in (admin1_pcode, admin2_pcode, admin3_pcode) group by 1`
	},
	{
		label: 'proximity: 25 km of our 8 sites, last 365 days',
		fn: 'incidents_proximity',
		args: { p_km: 25, p_days: 365, p_as_of: '2017-07-10', p_site_kind: 'org_sites' },
		direct: `select distinct on (i.id) i.id, st_distance(i.geom::geography, s.geom::geography) from public.org_sites s
		         join public.incidents i on st_dwithin(i.geom::geography, s.geom::geography, 25000)
		         where i.event_date between date '2017-07-10' - 364 and date '2017-07-10' order by i.id, 2`
	},
	{
		label: 'proximity: 5 km of one hospital, last 30 days',
		fn: 'incidents_proximity',
		args: { p_km: 5, p_days: 30, p_as_of: '2017-07-10', p_site_kind: 'health_facilities' },
		direct: `select distinct on (i.id) i.id from public.health_facilities s
		         join public.incidents i on st_dwithin(i.geom::geography, s.geom::geography, 5000)
		         where i.event_date between date '2017-07-10' - 29 and date '2017-07-10' order by i.id`
	}
];

async function time<T>(f: () => Promise<T>): Promise<[number, T]> {
	const t = performance.now();
	const r = await f();
	return [performance.now() - t, r];
}

async function median(f: () => Promise<unknown>, runs = 5): Promise<[number, unknown]> {
	const ts: number[] = [];
	let last: unknown;
	await f(); // warm: plans, caches
	for (let i = 0; i < runs; i++) {
		const [ms, r] = await time(f);
		ts.push(ms);
		last = r;
	}
	ts.sort((a, b) => a - b);
	return [ts[Math.floor(runs / 2)], last];
}

async function user(db: Adapter, role: AppRole): Promise<CallerUser> {
	const u = await db.rpc<{ id: string; email: string }>(
		'private.account_upsert',
		{ p_email: `bench-${role}@x.org`, p_role: role, p_display_name: '', p_password_hash: null },
		'service'
	);
	return { id: u.id, email: u.email, role };
}

async function run(name: string, db: Adapter) {
	await migrate(db, {
		migrationsDir: join(ROOT, 'supabase', 'migrations'),
		bootstrapSql: readFileSync(join(ROOT, 'src', 'lib', 'server', 'db', 'bootstrap.sql'), 'utf8')
	});
	const [seedMs] = await time(() => seedDemo(db, { seedDir: join(ROOT, 'supabase', 'seed') }));
	console.log(`\n## ${name}\ndemo data loaded in ${(seedMs / 1000).toFixed(1)} s`);
	const analyst = await user(db, 'analyst');
	const viewer = await user(db, 'viewer');
	for (const n of SIZES) {
		const [synthMs] = await time(() => seedSynthetic(db, n));
		await db.execOwner('analyze public.incidents');
		const [{ total }] = await db.queryOwner<{ total: number }>(
			'select count(*)::int as total from public.incidents'
		);
		console.log(
			`\n### ${n.toLocaleString('en')} synthetic incidents (${total.toLocaleString('en')} in all; loaded in ${(synthMs / 1000).toFixed(0)} s)\n`
		);
		const rows: { c: Case; app: number; view: number; direct: number; kb: string }[] = [];
		for (const c of CASES) {
			const [app, answer] = await median(() => db.rpc(c.fn, c.args, analyst));
			const [view] = await median(() => db.rpc(c.fn, c.args, viewer));
			const [direct] = await median(() => db.queryOwner(c.direct));
			rows.push({ c, app, view, direct, kb: (JSON.stringify(answer).length / 1024).toFixed(1) });
		}
		await db.execOwner(
			`alter function public.incidents_filtered(${FILTER_ARGS}) reset search_path`
		);
		const inlined: number[] = [];
		for (const c of CASES) inlined.push((await median(() => db.rpc(c.fn, c.args, analyst)))[0]);
		await db.execOwner(
			`alter function public.incidents_filtered(${FILTER_ARGS}) set search_path = public, extensions, pg_temp`
		);
		console.log(
			'| query | app ms (analyst) | viewer ms | direct SQL ms | app / direct | inlined filter ms | answer KB |'
		);
		console.log('|---|---:|---:|---:|---:|---:|---:|');
		rows.forEach(({ c, app, view, direct, kb }, i) =>
			console.log(
				`| ${c.label} | ${app.toFixed(0)} | ${view.toFixed(0)} | ${direct.toFixed(0)} | ${(app / Math.max(direct, 0.1)).toFixed(1)}× | ${inlined[i].toFixed(0)} | ${kb} |`
			)
		);
		console.log(`\nrss: ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
	}
}

await onEachEngine('terrain_bench_analysis', ENGINES, run);
