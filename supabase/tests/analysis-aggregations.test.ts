/**
 * The analysis SQL (time series, areas, calendar, time of day, actors, baseline, proximity) on
 * every engine, against counts computed here, independently, from the fixture rows themselves.
 * The fixture is generated (deterministically) in this file and inserted as it is, so the test
 * knows every incident: its date, type, place, status and actors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distance, point } from '@turf/turf';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { computeBaseline } from '../../src/lib/domain/baseline.ts';
import {
	engineNames,
	makeRoles,
	openEngine,
	type Engine
} from '../../tests/integration/helpers/db.ts';

// ---------------------------------------------------------------------------------------------
// The fixture: two governorates, four districts, six sub-districts (boxes in degrees), a strip
// to the east that belongs to no area, five actors, ~700 incidents over 2013–2014, and sites.
interface Box {
	pcode: string;
	level: 1 | 2 | 3;
	parent: string | null;
	box: [number, number, number, number];
}
const AREAS: Box[] = [
	{ pcode: 'IQG91', level: 1, parent: null, box: [40, 33, 42, 35] },
	{ pcode: 'IQG92', level: 1, parent: null, box: [42, 33, 44, 35] },
	{ pcode: 'IQD9101', level: 2, parent: 'IQG91', box: [40, 33, 41, 35] },
	{ pcode: 'IQD9102', level: 2, parent: 'IQG91', box: [41, 33, 42, 35] },
	{ pcode: 'IQD9201', level: 2, parent: 'IQG92', box: [42, 33, 43, 35] },
	{ pcode: 'IQD9202', level: 2, parent: 'IQG92', box: [43, 33, 44, 35] },
	{ pcode: 'IQS910101', level: 3, parent: 'IQD9101', box: [40, 33, 41, 34] },
	{ pcode: 'IQS910102', level: 3, parent: 'IQD9101', box: [40, 34, 41, 35] },
	{ pcode: 'IQS910201', level: 3, parent: 'IQD9102', box: [41, 33, 42, 35] },
	{ pcode: 'IQS920101', level: 3, parent: 'IQD9201', box: [42, 33, 43, 35] },
	{ pcode: 'IQS920201', level: 3, parent: 'IQD9202', box: [43, 33, 44, 34] },
	{ pcode: 'IQS920202', level: 3, parent: 'IQD9202', box: [43, 34, 44, 35] }
];
const TYPES = [
	'battles',
	'violence_against_civilians',
	'explosions_remote_violence',
	'protests'
] as const;
const ACTORS = [1, 2, 3, 4, 5].map((n) => ({
	id: `00000000-0000-0000-00a0-00000000000${n}`,
	name: `Actor ${n}`
}));
const PRECISIONS = [
	'exact',
	'exact',
	'exact',
	'day',
	'day',
	'day',
	'day',
	'day',
	'week',
	'month'
] as const;

interface Row {
	id: string;
	date: string;
	time: string | null;
	precision: string;
	type: string;
	lon: number;
	lat: number;
	a1: string | null;
	a2: string | null;
	a3: string | null;
	fatalities: number;
	status: string;
	confidentiality: string;
	actor1: string | null;
	actor2: string | null;
}

function mulberry32(seed: number) {
	return () => {
		seed |= 0;
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const inBox = (b: Box['box'], lon: number, lat: number) =>
	lon > b[0] && lon < b[2] && lat > b[1] && lat < b[3];
const areaOf = (level: number, lon: number, lat: number) =>
	AREAS.find((a) => a.level === level && inBox(a.box, lon, lat))?.pcode ?? null;
const day = (d: string, plus: number) =>
	new Date(Date.parse(`${d}T00:00:00Z`) + plus * 86_400_000).toISOString().slice(0, 10);

function makeRows(): Row[] {
	const rnd = mulberry32(20141231);
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
	const rows: Row[] = [];
	const add = (date: string, lon: number, lat: number, extra: Partial<Row> = {}) => {
		const n = rows.length + 1;
		const precision = pick(PRECISIONS);
		const r = rnd();
		const actor1 = rnd() < 0.9 ? pick(ACTORS).id : null;
		rows.push({
			id: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
			date,
			precision,
			time:
				precision === 'exact'
					? `${String(Math.floor(rnd() * 24)).padStart(2, '0')}:${String(Math.floor(rnd() * 60)).padStart(2, '0')}`
					: null,
			type: pick(TYPES),
			lon,
			lat,
			a1: areaOf(1, lon, lat),
			a2: areaOf(2, lon, lat),
			a3: areaOf(3, lon, lat),
			fatalities: Math.floor(rnd() * 9),
			status: r < 0.85 ? 'verified' : r < 0.93 ? 'reported' : 'rejected',
			confidentiality: rnd() < 0.9 ? 'public' : 'restricted',
			actor1,
			actor2: rnd() < 0.1 ? actor1 : rnd() < 0.5 ? pick(ACTORS).id : null,
			...extra
		});
	};
	// A steady background over two years, everywhere (and east of every area).
	for (let i = 0; i < 640; i++) {
		const date = day('2013-01-01', Math.floor(rnd() * 730));
		const lon = 40.05 + Math.floor(rnd() * 50) * 0.1; // 40.05 … 44.95: the last 10 columns are in no area
		const lat = 33.05 + Math.floor(rnd() * 20) * 0.1;
		add(date, lon, lat);
	}
	// A surge in district IQD9202 over the last four weeks of 2014.
	for (let i = 0; i < 30; i++)
		add(day('2014-12-04', Math.floor(rnd() * 28)), 43.25 + (i % 5) * 0.1, 33.45 + (i % 3) * 0.1);
	// Day-boundary probes for the baseline windows, as of 2014-06-15, in sub-district IQS910102.
	for (const [age, n] of [
		[0, 1],
		[6, 1],
		[7, 1],
		[27, 1],
		[28, 1],
		[391, 1],
		[392, 1],
		[-1, 1]
	] as const) {
		for (let k = 0; k < n; k++)
			add(day('2014-06-15', -age), 40.55, 34.55, { status: 'verified', confidentiality: 'public' });
	}
	return rows;
}

const ROWS = makeRows();
const sqlStr = (v: string | null) => (v === null ? 'null' : `'${v.replace(/'/g, "''")}'`);

function fixtureSql(): string {
	const areas = AREAS.map(
		(a) =>
			`(${sqlStr(a.pcode)}, ${a.level}, ${sqlStr(`Area ${a.pcode}`)}, ${sqlStr(`منطقة ${a.pcode}`)}, ${sqlStr(a.parent)}, st_multi(st_makeenvelope(${a.box.join(', ')}, 4326)))`
	);
	const actors = ACTORS.map((a) => `(${sqlStr(a.id)}, ${sqlStr(a.name)}, 'armed_group')`);
	const incidents = ROWS.map(
		(r) =>
			`(${sqlStr(r.id)}, ${sqlStr(r.date)}, ${r.time ? sqlStr(r.time) : 'null'}, ${sqlStr(r.precision)}, ${sqlStr(r.type)}, st_setsrid(st_point(${r.lon}, ${r.lat}), 4326), ${sqlStr(r.a1)}, ${sqlStr(r.a2)}, ${sqlStr(r.a3)}, ${r.fatalities}, ${sqlStr(r.status)}, ${sqlStr(r.confidentiality)}, ${sqlStr(r.actor1)}, ${sqlStr(r.actor2)})`
	);
	return `
	insert into public.areas (pcode, level, name_en, name_ar, parent_pcode, geom) values ${areas.join(',\n')};
	insert into public.actors (id, name, actor_type) values ${actors.join(',\n')};
	insert into public.incidents (id, event_date, event_time, time_precision, event_type, geom, admin1_pcode, admin2_pcode, admin3_pcode,
	  fatalities, status, confidentiality, actor1_id, actor2_id) values ${incidents.join(',\n')};
	insert into public.org_sites (id, name, site_type, geom) values
	  ('00000000-0000-0000-00b0-000000000001', 'Office East', 'office', st_setsrid(st_point(43.3, 33.5), 4326)),
	  ('00000000-0000-0000-00b0-000000000002', 'Base West', 'base', st_setsrid(st_point(40.6, 34.5), 4326));
	insert into public.health_facilities (id, name, geom) values
	  ('00000000-0000-0000-00c0-000000000001', 'Hospital One', st_setsrid(st_point(41.5, 33.9), 4326));
	insert into public.idp_camps (id, name, geom, population) values
	  ('00000000-0000-0000-00d0-000000000001', 'Camp One', st_setsrid(st_point(42.45, 34.15), 4326), 1200);
	insert into public.checkpoints (id, name, status, geom) values
	  ('00000000-0000-0000-00e0-000000000001', 'CP One', 'open', st_setsrid(st_point(44.5, 33.5), 4326));
	`;
}

// ---------------------------------------------------------------------------------------------
// The independent reference: what each role sees, filtered and counted in plain TypeScript.
interface Filters {
	from?: string;
	to?: string;
	types?: string[];
	area?: string;
	bbox?: [number, number, number, number];
}
const visible = (role: AppRole) => (r: Row) =>
	role === 'admin' || role === 'analyst'
		? true
		: r.status === 'verified' && r.confidentiality !== 'restricted';
function matching(role: AppRole, f: Filters = {}): Row[] {
	return ROWS.filter(visible(role)).filter(
		(r) =>
			(!f.from || r.date >= f.from) &&
			(!f.to || r.date <= f.to) &&
			(!f.types || f.types.includes(r.type)) &&
			(!f.area || [r.a1, r.a2, r.a3].includes(f.area)) &&
			(!f.bbox ||
				(r.lon >= f.bbox[0] && r.lon <= f.bbox[2] && r.lat >= f.bbox[1] && r.lat <= f.bbox[3]))
	);
}
function args(f: Filters): Record<string, unknown> {
	return {
		p_from: f.from ?? null,
		p_to: f.to ?? null,
		p_types: f.types ?? null,
		p_area: f.area ? [f.area] : null,
		...(f.bbox
			? { p_west: f.bbox[0], p_south: f.bbox[1], p_east: f.bbox[2], p_north: f.bbox[3] }
			: {})
	};
}
/** The Monday of a date's ISO week, computed with Date (not with the app's own binning code). */
function isoMonday(d: string): string {
	const t = new Date(`${d}T00:00:00Z`);
	t.setUTCDate(t.getUTCDate() - ((t.getUTCDay() + 6) % 7));
	return t.toISOString().slice(0, 10);
}
function countBy<T>(
	rows: T[],
	key: (r: T) => string,
	value: (r: T) => number = () => 1
): Record<string, number> {
	const out: Record<string, number> = {};
	for (const r of rows) out[key(r)] = (out[key(r)] ?? 0) + value(r);
	return out;
}

type Bin = { bin: string; key: string; n: number; fatalities: number };
type Stats = {
	total: number;
	fatalities: number;
	first_date: string | null;
	last_date: string | null;
	bins: Bin[];
	groups: { key: string; n: number; name_en: string | null }[];
};

describe.each(engineNames())('analysis aggregations on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		await e.db.execOwner(fixtureSql());
		u = await makeRoles(e.db);
	});
	afterAll(async () => e?.close());

	const stats = (as: CallerUser, f: Filters, by: string, group: string) =>
		e.db.rpc<Stats>('incident_stats', { ...args(f), p_by: by, p_group: group }, as);

	it('bins incidents by ISO week (Monday first) and event type, as counted from the rows', async () => {
		for (const role of ['analyst', 'viewer'] as const) {
			const s = await stats(u[role], {}, 'week', 'type');
			const rows = matching(role);
			const want = countBy(rows, (r) => `${isoMonday(r.date)}|${r.type}`);
			const got = Object.fromEntries(s.bins.map((b) => [`${b.bin}|${b.key}`, b.n]));
			expect(got).toEqual(want);
			expect(s.total).toBe(rows.length);
			expect(s.fatalities).toBe(rows.reduce((a, r) => a + r.fatalities, 0));
			expect(s.bins.every((b) => new Date(`${b.bin}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
		}
		// viewers see fewer: only verified, unrestricted incidents
		expect(matching('viewer').length).toBeLessThan(matching('analyst').length);
	});

	it('bins by month and by day, stacked by governorate and district, with fatalities', async () => {
		const f: Filters = { from: '2014-01-01', to: '2014-12-31' };
		const rows = matching('analyst', f);
		const month = await stats(u.analyst, f, 'month', 'area1');
		expect(Object.fromEntries(month.bins.map((b) => [`${b.bin}|${b.key}`, b.n]))).toEqual(
			countBy(rows, (r) => `${r.date.slice(0, 7)}-01|${r.a1 ?? 'none'}`)
		);
		expect(Object.fromEntries(month.bins.map((b) => [`${b.bin}|${b.key}`, b.fatalities]))).toEqual(
			countBy(
				rows,
				(r) => `${r.date.slice(0, 7)}-01|${r.a1 ?? 'none'}`,
				(r) => r.fatalities
			)
		);
		const g = Object.fromEntries(month.groups.map((x) => [x.key, x]));
		expect(g.IQG91.name_en).toBe('Area IQG91');
		expect(g.none.name_en).toBeNull();

		const daily = await stats(u.analyst, f, 'day', 'area2');
		expect(Object.fromEntries(daily.bins.map((b) => [`${b.bin}|${b.key}`, b.n]))).toEqual(
			countBy(rows, (r) => `${r.date}|${r.a2 ?? 'none'}`)
		);
		expect(daily.first_date).toBe(rows.map((r) => r.date).sort()[0]);
		expect(daily.last_date).toBe(
			rows
				.map((r) => r.date)
				.sort()
				.at(-1)
		);
	});

	it('applies the map filters (dates, types, area, viewport) exactly as the map counts them', async () => {
		const cases: Filters[] = [
			{ types: ['battles', 'protests'] },
			{ area: 'IQD9202', from: '2014-07-01' },
			{ area: 'IQS910102' },
			{ bbox: [41, 33.5, 43.5, 34.5], to: '2013-12-31' }
		];
		for (const f of cases) {
			for (const role of ['admin', 'field'] as const) {
				const s = await stats(u[role], f, 'month', 'none');
				expect(s.total, JSON.stringify(f)).toBe(matching(role, f).length);
				if (f.bbox) {
					const map = await e.db.rpc<{ total: number }>(
						'incidents_map',
						{ ...args(f), p_limit: 1 },
						u[role]
					);
					expect(map.total).toBe(s.total);
				}
			}
		}
	});

	it('counts per governorate, district and sub-district, quiet areas and unplaced incidents included', async () => {
		for (const level of [1, 2, 3] as const) {
			const key = (r: Row) => (level === 1 ? r.a1 : level === 2 ? r.a2 : r.a3);
			const rows = matching('viewer');
			const got = await e.db.rpc<{
				areas: { pcode: string; n: number; fatalities: number }[];
				unassigned: { n: number };
			}>('incidents_by_area', { p_level: level }, u.viewer);
			const want = countBy(
				rows.filter((r) => key(r)),
				(r) => key(r)!
			);
			for (const a of AREAS.filter((x) => x.level === level)) want[a.pcode] ??= 0;
			expect(Object.fromEntries(got.areas.map((a) => [a.pcode, a.n]))).toEqual(want);
			expect(got.unassigned.n).toBe(rows.filter((r) => !key(r)).length);
			expect(got.areas.map((a) => a.n)).toEqual(
				[...got.areas.map((a) => a.n)].sort((x, y) => y - x)
			);
		}
		// Within a governorate: its districts only.
		const inG2 = await e.db.rpc<{ areas: { pcode: string }[] }>(
			'incidents_by_area',
			{ p_area: ['IQG92'], p_level: 2 },
			u.viewer
		);
		expect(inG2.areas.map((a) => a.pcode).sort()).toEqual(['IQD9201', 'IQD9202']);
		// A district asked for at governorate level: the governorate it lies in.
		const up = await e.db.rpc<{ areas: { pcode: string; n: number }[] }>(
			'incidents_by_area',
			{ p_area: ['IQD9202'], p_level: 1 },
			u.viewer
		);
		expect(up.areas).toEqual([
			expect.objectContaining({ pcode: 'IQG92', n: matching('viewer', { area: 'IQD9202' }).length })
		]);
	});

	it('gives a calendar of incidents per day', async () => {
		const f: Filters = { from: '2014-03-01', to: '2014-05-31', types: ['battles'] };
		const got = await e.db.rpc<{ days: [string, number, number][]; total: number }>(
			'incidents_calendar',
			args(f),
			u.analyst
		);
		const rows = matching('analyst', f);
		expect(Object.fromEntries(got.days.map(([d, n]) => [d, n]))).toEqual(
			countBy(rows, (r) => r.date)
		);
		expect(got.days.reduce((a, [, , fat]) => a + fat, 0)).toBe(
			rows.reduce((a, r) => a + r.fatalities, 0)
		);
	});

	it('counts hours only where the time is known and weekdays only where the day is known', async () => {
		const got = await e.db.rpc<{
			total: number;
			with_time: number;
			with_day: number;
			by_hour: number[];
			by_dow: number[];
			dow_hour: [number, number, number][];
		}>('incidents_time_pattern', {}, u.analyst);
		const rows = matching('analyst');
		const timed = rows.filter((r) => r.precision === 'exact' && r.time);
		const dated = rows.filter((r) => r.precision === 'exact' || r.precision === 'day');
		expect(got.total).toBe(rows.length);
		expect(got.with_time).toBe(timed.length);
		expect(got.with_day).toBe(dated.length);
		const hours = Array(24).fill(0);
		for (const r of timed) hours[Number(r.time!.slice(0, 2))]++;
		expect(got.by_hour).toEqual(hours);
		const dows = Array(7).fill(0);
		for (const r of dated) dows[(new Date(`${r.date}T00:00:00Z`).getUTCDay() + 6) % 7]++;
		expect(got.by_dow).toEqual(dows);
		expect(got.dow_hour.reduce((a, [, , n]) => a + n, 0)).toBe(timed.length);
	});

	it('ranks the actors involved, counting an incident once when an actor is on both sides', async () => {
		const got = await e.db.rpc<{
			actors: { id: string; n: number; as_actor1: number; as_actor2: number; fatalities: number }[];
			with_actor: number;
		}>('incidents_top_actors', { p_limit: 3 }, u.viewer);
		const rows = matching('viewer');
		const n = (id: string) => rows.filter((r) => r.actor1 === id || r.actor2 === id);
		const ranked = ACTORS.map((a) => ({ id: a.id, name: a.name, n: n(a.id).length }))
			.sort((x, y) => y.n - x.n || x.name.localeCompare(y.name))
			.slice(0, 3);
		expect(got.actors.map((a) => [a.id, a.n])).toEqual(ranked.map((a) => [a.id, a.n]));
		const top = got.actors[0];
		expect(top.as_actor1).toBe(rows.filter((r) => r.actor1 === top.id).length);
		expect(top.as_actor2).toBe(rows.filter((r) => r.actor2 === top.id).length);
		expect(top.fatalities).toBe(n(top.id).reduce((a, r) => a + r.fatalities, 0));
		expect(got.with_actor).toBe(rows.filter((r) => r.actor1 || r.actor2).length);
		expect(rows.some((r) => r.actor1 && r.actor1 === r.actor2)).toBe(true); // the case is in the fixture
	});

	it('answers "no data" with zeros and empty lists, not errors', async () => {
		const f: Filters = { from: '2030-01-01', to: '2030-12-31' };
		const s = await stats(u.analyst, f, 'week', 'type');
		expect(s).toMatchObject({ total: 0, fatalities: 0, bins: [], groups: [], first_date: null });
		const a = await e.db.rpc<{ total: number; areas: { n: number }[] }>(
			'incidents_by_area',
			{ ...args(f), p_level: 2 },
			u.analyst
		);
		expect(a.total).toBe(0);
		expect(a.areas.every((x) => x.n === 0)).toBe(true);
		const t = await e.db.rpc<{ by_hour: number[]; with_time: number }>(
			'incidents_time_pattern',
			args(f),
			u.analyst
		);
		expect(t.with_time).toBe(0);
		expect(t.by_hour).toEqual(Array(24).fill(0));
		const r = await e.db.rpc<{ first_date: string; last_date: string }>(
			'incidents_date_range',
			{},
			u.viewer
		);
		expect(r.first_date).toBe(
			matching('viewer')
				.map((x) => x.date)
				.sort()[0]
		);
	});

	it('says where the counted incidents come from and which dates they cover', async () => {
		const f: Filters = { from: '2014-01-01', types: ['protests'] };
		const rows = matching('viewer', f);
		const got = await e.db.rpc<
			{ source: string | null; n: number; first_date: string; last_date: string }[]
		>('incidents_sources', args(f), u.viewer);
		expect(got).toEqual([
			{
				source: null,
				n: rows.length,
				first_date: rows.map((r) => r.date).sort()[0],
				last_date: rows
					.map((r) => r.date)
					.sort()
					.at(-1)
			}
		]);
		await e.db.execOwner(
			`update public.incidents set upstream_source = 'ucdp-ged' where id = '${rows[0].id}'`
		);
		const two = await e.db.rpc<{ source: string | null; n: number }[]>(
			'incidents_sources',
			args(f),
			u.viewer
		);
		expect(two.map((s) => [s.source, s.n])).toEqual([
			[null, rows.length - 1],
			['ucdp-ged', 1]
		]);
		await e.db.execOwner(
			`update public.incidents set upstream_source = null where id = '${rows[0].id}'`
		);
	});

	it('refuses bad arguments with the argument named', async () => {
		await expect(stats(u.analyst, {}, 'year', 'type')).rejects.toThrow(/^by: unknown value "year"/);
		await expect(stats(u.analyst, {}, 'week', 'actor')).rejects.toThrow(/^group: /);
		await expect(e.db.rpc('incidents_by_area', { p_level: 4 }, u.analyst)).rejects.toThrow(
			/^level: /
		);
		await expect(e.db.rpc('incidents_top_actors', { p_limit: 0 }, u.analyst)).rejects.toMatchObject(
			{ code: '22023' }
		);
		await expect(e.db.rpc('incident_stats', {}, 'anon')).rejects.toThrow(/permission denied/);
	});

	// -------------------------------------------------------------------------------------------
	type BaselineRow = {
		pcode: string | null;
		level: number;
		baseline_n: number;
		week_n: number;
		four_weeks_n: number;
		week_trend: string;
		four_weeks_trend: string;
		week_low_count: boolean;
		four_weeks_low_count: boolean;
		week_change_pct: number | null;
		four_weeks_change_pct: number | null;
		week_expected: number;
	};
	const baseline = (as: CallerUser, asOf: string, extra: Record<string, unknown> = {}) =>
		e.db.rpc<{
			as_of: string;
			week: { from: string };
			baseline: { from: string; to: string };
			rows: BaselineRow[];
		}>('baseline_table', { p_as_of: asOf, ...extra }, as);

	it('counts the baseline windows to the day (boundaries as of 2014-06-15 in IQS910102)', async () => {
		const b = await baseline(u.analyst, '2014-06-15');
		expect(b.week.from).toBe('2014-06-09');
		expect(b.baseline).toEqual({ from: '2013-05-20', to: '2014-05-18' });
		const row = b.rows.find((r) => r.pcode === 'IQS910102')!;
		const rows = matching('analyst').filter((r) => r.a3 === 'IQS910102');
		const age = (r: Row) => (Date.parse('2014-06-15') - Date.parse(r.date)) / 86_400_000;
		expect(row.week_n).toBe(rows.filter((r) => age(r) >= 0 && age(r) <= 6).length);
		expect(row.four_weeks_n).toBe(rows.filter((r) => age(r) >= 0 && age(r) <= 27).length);
		expect(row.baseline_n).toBe(rows.filter((r) => age(r) >= 28 && age(r) <= 391).length);
	});

	it('agrees with the TypeScript baseline for every area, the country and several dates', async () => {
		for (const asOf of ['2014-12-31', '2014-06-15', '2014-02-10', '2013-03-01']) {
			for (const role of ['analyst', 'viewer'] as const) {
				const b = await baseline(u[role], asOf, {
					p_types: ['battles', 'violence_against_civilians', 'explosions_remote_violence']
				});
				const rows = matching(role, {
					types: ['battles', 'violence_against_civilians', 'explosions_remote_violence']
				});
				expect(b.rows).toHaveLength(AREAS.length + 1);
				for (const r of b.rows) {
					const mine =
						r.pcode === null ? rows : rows.filter((x) => [x.a1, x.a2, x.a3].includes(r.pcode));
					const ts = computeBaseline(
						mine.map((x) => x.date),
						asOf
					);
					const label = `${asOf} ${role} ${r.pcode}`;
					expect([r.week_n, r.four_weeks_n, r.baseline_n], label).toEqual([
						ts.week.observed,
						ts.fourWeeks.observed,
						ts.baselineCount
					]);
					expect([r.week_trend, r.four_weeks_trend], label).toEqual([
						ts.week.trend,
						ts.fourWeeks.trend
					]);
					expect([r.week_low_count, r.four_weeks_low_count], label).toEqual([
						ts.week.lowCount,
						ts.fourWeeks.lowCount
					]);
					expect([r.week_change_pct, r.four_weeks_change_pct], label).toEqual([
						ts.week.changePct,
						ts.fourWeeks.changePct
					]);
					expect(r.week_expected).toBeCloseTo(ts.week.expected, 3);
				}
			}
		}
	});

	it('flags the December 2014 surge in district IQD9202 as rising', async () => {
		const b = await baseline(u.analyst, '2014-12-31', { p_level: 2 });
		const d = b.rows.find((r) => r.pcode === 'IQD9202')!;
		expect(d.four_weeks_trend).toBe('rising');
		expect(d.four_weeks_low_count).toBe(false);
		expect(b.rows.every((r) => r.level === 2)).toBe(true);
		const inside = await baseline(u.analyst, '2014-12-31', { p_parent: 'IQD9202' });
		expect(inside.rows.map((r) => r.pcode).sort()).toEqual(['IQD9202', 'IQS920201', 'IQS920202']);
		const one = await e.db.rpc<{
			row: BaselineRow;
			weeks: { from: string; to: string; n: number }[];
		}>('area_baseline', { p_pcode: 'IQD9202', p_as_of: '2014-12-31' }, u.analyst);
		expect(one.row).toEqual(d);
		expect(one.weeks).toHaveLength(56);
		expect(one.weeks.at(-1)).toMatchObject({ from: '2014-12-25', to: '2014-12-31', n: d.week_n });
		expect(one.weeks.slice(-4).reduce((a, w) => a + w.n, 0)).toBe(d.four_weeks_n);
		expect(one.weeks.slice(0, 52).reduce((a, w) => a + w.n, 0)).toBe(d.baseline_n);
		const country = await e.db.rpc<{ row: BaselineRow }>(
			'area_baseline',
			{ p_as_of: '2014-12-31' },
			u.analyst
		);
		expect(country.row.pcode).toBeNull();
		expect(country.row.level).toBe(0);
	});

	it('classifies exactly as the TypeScript rule over a grid of counts', async () => {
		const { classify } = await import('../../src/lib/domain/baseline.ts');
		const rows = await e.db.queryOwner<{
			o: number;
			b: number;
			w: number;
			c: { trend: string; low_count: boolean; change_pct: number | null };
		}>(
			`select o, b, w, public.baseline_classify(o, b, w) as c
			 from generate_series(0, 30) o, generate_series(0, 700, 7) b, (values (1), (4)) ws(w)`
		);
		for (const r of rows) {
			const ts = classify(r.o, r.b, r.w);
			expect([r.c.trend, r.c.low_count, r.c.change_pct], `${r.o} vs ${r.b} over ${r.w}`).toEqual([
				ts.trend,
				ts.lowCount,
				ts.changePct
			]);
		}
	});

	it('refuses an unknown area or level in the baseline', async () => {
		await expect(
			e.db.rpc('area_baseline', { p_pcode: 'IQX999', p_as_of: '2014-12-31' }, u.viewer)
		).rejects.toMatchObject({
			code: 'P0002',
			message: 'pcode: no area with P-code IQX999'
		});
		await expect(baseline(u.viewer, '2014-12-31', { p_level: 5 })).rejects.toThrow(/^level: /);
		await expect(baseline(u.viewer, '2014-12-31', { p_parent: 'IQX999' })).rejects.toThrow(
			/^parent: /
		);
	});

	// -------------------------------------------------------------------------------------------
	type Prox = {
		total: number;
		from: string;
		to: string;
		targets: { id: string | null; name: string | null; n: number }[];
		incidents: { id: string; distance_m: number; nearest_id: string | null }[];
	};
	const near = (lon: number, lat: number, r: Row) =>
		distance(point([lon, lat]), point([r.lon, r.lat]), { units: 'kilometers' });
	/** Incidents clearly within / clearly beyond km (1 % either side: sphere vs spheroid). */
	function expectNear(got: Prox, rows: Row[], sites: [number, number][], km: number) {
		const ids = new Set(got.incidents.map((i) => i.id));
		const d = (r: Row) => Math.min(...sites.map(([lon, lat]) => near(lon, lat, r)));
		const inside = rows.filter((r) => d(r) < km * 0.99);
		const outside = rows.filter((r) => d(r) > km * 1.01);
		expect(inside.length).toBeGreaterThan(0);
		for (const r of inside) expect(ids.has(r.id), `${r.id} at ${d(r)} km`).toBe(true);
		for (const r of outside) expect(ids.has(r.id), `${r.id} at ${d(r)} km`).toBe(false);
		const borderline = rows.length - inside.length - outside.length;
		expect(got.total).toBeGreaterThanOrEqual(inside.length);
		expect(got.total).toBeLessThanOrEqual(inside.length + borderline);
	}

	it('finds the incidents within X km of all our sites in the last N days', async () => {
		const got = await e.db.rpc<Prox>(
			'incidents_proximity',
			{ p_km: 25, p_days: 365, p_as_of: '2014-12-31', p_site_kind: 'org_sites' },
			u.viewer
		);
		expect([got.from, got.to]).toEqual(['2014-01-01', '2014-12-31']);
		expectNear(
			got,
			matching('viewer', { from: '2014-01-01', to: '2014-12-31' }),
			[
				[43.3, 33.5],
				[40.6, 34.5]
			],
			25
		);
		expect(got.targets.map((t) => t.name).sort()).toEqual(['Base West', 'Office East']);
		expect(got.incidents.map((i) => i.distance_m)).toEqual(
			[...got.incidents.map((i) => i.distance_m)].sort((a, b) => a - b)
		);
		expect(got.incidents.every((i) => i.distance_m <= 25_000)).toBe(true);
	});

	// Around several sites the incidents are read by the box around them all when the sites'
	// boxes cover ≥ 2 % of it (25 and 200 km here), else box by box (8 km: 1.5 %), and an incident
	// meets only the sites of its grid cell; either way each site counts every incident near it.
	it('counts each site its own incidents and names the nearest site, at 8, 25 and 200 km', async () => {
		const sites = [
			{ id: '00000000-0000-0000-00b0-000000000001', at: [43.3, 33.5] },
			{ id: '00000000-0000-0000-00b0-000000000002', at: [40.6, 34.5] }
		] as const;
		const rows = matching('analyst');
		for (const km of [8, 25, 200]) {
			const got = await e.db.rpc<Prox>(
				'incidents_proximity',
				{
					p_km: km,
					p_days: 36600,
					p_as_of: '2014-12-31',
					p_site_kind: 'org_sites',
					p_limit: 10000
				},
				u.analyst
			);
			for (const s of sites) {
				const d = rows.map((r) => near(s.at[0], s.at[1], r));
				const inside = d.filter((x) => x < km * 0.99).length;
				const borderline = d.filter((x) => x >= km * 0.99 && x <= km * 1.01).length;
				const n = got.targets.find((t) => t.id === s.id)?.n;
				expect(inside, `${km} km`).toBeGreaterThan(0);
				expect(n, `${km} km around ${s.id}`).toBeGreaterThanOrEqual(inside);
				expect(n, `${km} km around ${s.id}`).toBeLessThanOrEqual(inside + borderline);
			}
			expectNear(
				got,
				rows,
				sites.map((s) => [...s.at] as [number, number]),
				km
			);
			const byId = new Map(rows.map((r) => [r.id, r]));
			for (const i of got.incidents) {
				const [a, b] = sites.map((s) => near(s.at[0], s.at[1], byId.get(i.id)!));
				if (Math.abs(a - b) > 0.01 * Math.min(a, b))
					expect(i.nearest_id, `${i.id} at ${a} / ${b} km`).toBe(sites[a < b ? 0 : 1].id);
			}
		}
	});

	it('finds them around one facility, camp or checkpoint, with the event-type filter', async () => {
		const cases = [
			['health_facilities', '00000000-0000-0000-00c0-000000000001', [41.5, 33.9]],
			['idp_camps', '00000000-0000-0000-00d0-000000000001', [42.45, 34.15]],
			['checkpoints', '00000000-0000-0000-00e0-000000000001', [44.5, 33.5]]
		] as const;
		for (const [kind, id, at] of cases) {
			const got = await e.db.rpc<Prox>(
				'incidents_proximity',
				{
					p_km: 40,
					p_days: 730,
					p_as_of: '2014-12-31',
					p_site_kind: kind,
					p_site_id: id,
					p_types: ['battles']
				},
				u.analyst
			);
			expectNear(
				got,
				matching('analyst', { from: '2013-01-02', to: '2014-12-31', types: ['battles'] }),
				[[at[0], at[1]]],
				40
			);
			expect(got.targets).toEqual([expect.objectContaining({ id, n: got.total })]);
		}
	});

	it('finds them around a drawn line or polygon (distance 0 inside it)', async () => {
		const polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[42.2, 33.2],
					[42.8, 33.2],
					[42.8, 33.8],
					[42.2, 33.8],
					[42.2, 33.2]
				]
			]
		};
		const got = await e.db.rpc<Prox>(
			'incidents_proximity',
			{ p_km: 0.001, p_days: 3650, p_as_of: '2014-12-31', p_geometry: polygon },
			u.analyst
		);
		const inPoly = matching('analyst').filter(
			(r) => r.lon > 42.2 && r.lon < 42.8 && r.lat > 33.2 && r.lat < 33.8
		);
		expect(got.total).toBe(inPoly.length);
		expect(got.incidents.every((i) => i.distance_m === 0)).toBe(true);
		const line = {
			type: 'Feature',
			properties: {},
			geometry: {
				type: 'LineString',
				coordinates: [
					[40.05, 33.05],
					[44.95, 34.95]
				]
			}
		};
		const l = await e.db.rpc<Prox>(
			'incidents_proximity',
			{ p_km: 5, p_days: 30, p_as_of: '2014-12-31', p_geometry: line, p_limit: 2 },
			u.analyst
		);
		expect(l.incidents.length).toBeLessThanOrEqual(2);
		expect(l.targets[0]).toMatchObject({ id: null, n: l.total });
	});

	it('refuses bad proximity requests with the argument named', async () => {
		const call = (a: Record<string, unknown>) =>
			e.db.rpc('incidents_proximity', { p_km: 10, p_as_of: '2014-12-31', ...a }, u.analyst);
		await expect(call({ p_km: 0, p_site_kind: 'org_sites' })).rejects.toThrow(/^km: /);
		await expect(call({ p_km: 500, p_site_kind: 'org_sites' })).rejects.toThrow(/^km: /);
		await expect(call({ p_days: 0, p_site_kind: 'org_sites' })).rejects.toThrow(/^days: /);
		await expect(call({})).rejects.toThrow(/^site_kind: give either/);
		await expect(call({ p_site_kind: 'mosques' })).rejects.toThrow(/^site_kind: unknown/);
		await expect(
			call({ p_site_kind: 'idp_camps', p_site_id: '00000000-0000-0000-0000-00000000dead' })
		).rejects.toMatchObject({ code: 'P0002' });
		await expect(call({ p_geometry: { type: 'Circle', coordinates: [1, 2] } })).rejects.toThrow(
			/^geometry: expected/
		);
		await expect(call({ p_geometry: { type: 'Point', coordinates: [400, 2] } })).rejects.toThrow(
			/^geometry: coordinates/
		);
		const bowtie = {
			type: 'Polygon',
			coordinates: [
				[
					[0, 0],
					[1, 1],
					[1, 0],
					[0, 1],
					[0, 0]
				]
			]
		};
		await expect(call({ p_geometry: bowtie })).rejects.toThrow(/^geometry: Self-intersection/);
	});
});
