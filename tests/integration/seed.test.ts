/**
 * The demo seed end to end: real files → SQL loaders → what an analyst sees. Expected numbers are
 * computed here from the raw files (not through the seed's own mapping) wherever they can be.
 * Starts from a migrated, empty database (a fresh PGlite copy, and a freshly created PostgreSQL
 * database when TEST_DATABASE_URL is set).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter, CallerUser } from '../../src/lib/server/db/types.ts';
import { isSeeded, seedDemo, seedStatus, seedSynthetic } from '../../src/lib/server/seed/index.ts';
import { engineNames, makeUser, openEngine, type Engine } from './helpers/db.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const seedDir = `${root}supabase/seed`;

// ---- expectations from the raw files --------------------------------------------------------
type Rec = Record<string, string>;
const ucdp = Papa.parse<Rec>(readFileSync(`${seedDir}/ucdp_ged_irq_hdx_1989-2018.csv`, 'utf8'), {
	header: true,
	skipEmptyLines: true
}).data.filter((r) => /^\d+$/.test(r.id)); // drops the HXL hashtag row (its id cell is empty)
const ucdpByYear: Record<string, number> = {};
for (const r of ucdp) ucdpByYear[r.year] = (ucdpByYear[r.year] ?? 0) + 1;
// UCDP events located only as a region, the country or a border (where_prec ≥ 5) with no
// governorate named: the seed deliberately leaves them without admin areas.
const ucdpWithoutGovernorate = ucdp.filter(
	(r) => Number(r.where_prec) >= 5 && !r.adm_1.trim()
).length;

const camps = Papa.parse<Rec>(
	readFileSync(`${seedDir}/unhcr_iraq_camps_weeklyreport_2014.csv`, 'utf8'),
	{
		header: true,
		skipEmptyLines: true
	}
).data;
const campPopulation = camps.reduce((s, r) => s + Number(r.Individual || 0), 0);
const hospitalCount = (
	JSON.parse(readFileSync(`${seedDir}/gaia_osm_iraq_hospitals.geojson`, 'utf8')) as {
		features: unknown[];
	}
).features.length;

interface Counts {
	total: number;
	fatalities: number;
	by_year: Record<string, number>;
	by_admin1: Record<string, number>;
	by_type: Record<string, number>;
}
interface FC {
	features: { properties: Record<string, unknown> }[];
}

describe.each(engineNames())('demo seed on %s', (engine) => {
	let e: Engine;
	let db: Adapter;
	let analyst: CallerUser;
	let first: Record<string, number>;

	beforeAll(async () => {
		e = await openEngine(engine, 'migrated');
		db = e.db;
		analyst = await makeUser(db, 'analyst');
		expect(await isSeeded(db)).toBe(false);
		first = await seedDemo(db, { seedDir });
	});

	afterAll(async () => {
		await e?.close();
	});

	it('loads every UCDP event, with the yearly counts of the raw file', async () => {
		const c = await db.rpc<Counts>('incident_counts', {}, analyst);
		expect(c.total).toBe(7473);
		expect(ucdp.length).toBe(7473);
		expect(c.by_year).toEqual(ucdpByYear);
		expect(c.by_year['2014']).toBe(796);
		expect(c.fatalities).toBe(ucdp.reduce((s, r) => s + Number(r.best), 0));
		expect(Object.keys(c.by_type).sort()).toEqual([
			'battles',
			'explosions_remote_violence',
			'violence_against_civilians'
		]);
	});

	it('places incidents in COD-AB governorates by their coordinates, except region- and country-level ones', async () => {
		const c = await db.rpc<Counts>('incident_counts', {}, analyst);
		expect(c.by_admin1.none).toBe(ucdpWithoutGovernorate);
		expect(ucdpWithoutGovernorate).toBe(399);
		const names = new Map(
			(
				await db.rpc<{ pcode: string; name_en: string }[]>('areas_list', { p_level: 1 }, analyst)
			).map((a) => [a.pcode, a.name_en])
		);
		const top = Object.entries(c.by_admin1)
			.filter(([k]) => k !== 'none')
			.sort((a, b) => b[1] - a[1])
			.slice(0, 3)
			.map(([k]) => names.get(k));
		expect(top).toEqual(['Ninewa', 'Baghdad', 'Al-Anbar']);
		expect(first['incidents.placed_nearest']).toBeGreaterThanOrEqual(0);
		expect(first['incidents.outside']).toBe(0);
	});

	it('loads the 18 governorates, 101 districts and 294 sub-districts with their parents', async () => {
		const s = await seedStatus(db);
		expect(s.areas.by_level).toEqual({ '1': 18, '2': 101, '3': 294 });
		const districts = await db.rpc<{ pcode: string; parent_pcode: string }[]>(
			'areas_list',
			{ p_level: 2 },
			analyst
		);
		expect(districts.every((d) => d.pcode.startsWith(d.parent_pcode))).toBe(true);
	});

	it('loads the hospitals, the camps with their population, and the samples flagged as samples', async () => {
		const h = await db.rpc<FC>('sites_geojson', { p_kind: 'health_facilities' }, analyst);
		expect(h.features).toHaveLength(hospitalCount);
		expect(h.features.every((f) => f.properties.admin1_pcode)).toBe(true);
		const c = await db.rpc<FC>('sites_geojson', { p_kind: 'idp_camps' }, analyst);
		expect(c.features).toHaveLength(47);
		expect(c.features.reduce((s, f) => s + Number(f.properties.population ?? 0), 0)).toBe(
			campPopulation
		);
		expect(campPopulation).toBe(144_857);
		const cp = await db.rpc<FC>('sites_geojson', { p_kind: 'checkpoints' }, analyst);
		expect(cp.features.length).toBeGreaterThanOrEqual(10);
		expect(
			cp.features.every((f) => f.properties.is_sample === true && f.properties.controlling_actor)
		).toBe(true);
		const o = await db.rpc<FC>('sites_geojson', { p_kind: 'org_sites' }, analyst);
		expect(new Set(o.features.map((f) => f.properties.site_type))).toEqual(
			new Set(['office', 'base', 'guesthouse', 'warehouse', 'hibernation_site', 'assembly_point'])
		);
		expect(o.features.every((f) => f.properties.is_sample === true)).toBe(true);
		expect(await isSeeded(db)).toBe(true);
	});

	it('writes one audit summary per loader call instead of a row per record', async () => {
		const rows = await db.queryOwner<{ action: string; table_name: string; n: number }>(
			`select action, table_name, count(*)::int as n from public.audit_log
			 where table_name in ('areas', 'actors', 'incidents', 'health_facilities', 'idp_camps', 'checkpoints', 'org_sites')
			 group by 1, 2 order by 2`
		);
		expect(rows.every((r) => r.action === 'seed')).toBe(true);
		expect(rows.find((r) => r.table_name === 'incidents')?.n).toBe(Math.ceil(7473 / 2000));
		const [summary] = await db.queryOwner<{ detail: { rows: number; source: string } }>(
			`select detail from public.audit_log where action = 'seed' and table_name = 'idp_camps' order by id limit 1`
		);
		expect(summary.detail).toMatchObject({ rows: 47, source: 'unhcr-2014' });
	});

	it('refuses the loaders to anyone but the server', async () => {
		await expect(
			db.rpc('private.load_incidents', { p_rows: '[]', p_source: 'ucdp-ged' }, analyst)
		).rejects.toMatchObject({ code: '42501' });
		await expect(db.rpc('private.seed_status', {}, 'anon')).rejects.toMatchObject({
			code: '42501'
		});
	});

	it('re-running the seed duplicates nothing and changes nothing', async () => {
		const before = await seedStatus(db);
		const again = await seedDemo(db, { seedDir });
		expect(again['incidents.inserted']).toBe(0);
		expect(again['incidents.updated']).toBe(0);
		expect(again['areas.inserted']).toBe(0);
		expect(again['idp_camps.inserted'] + again['health_facilities.inserted']).toBe(0);
		expect(await seedStatus(db)).toEqual(before);
		expect((await db.rpc<Counts>('incident_counts', {}, analyst)).total).toBe(7473);
	});

	it('adds deterministic synthetic incidents of every type, idempotently', async () => {
		await seedSynthetic(db, 2500, { seed: 42 });
		await seedSynthetic(db, 2500, { seed: 42 });
		const s = await seedStatus(db);
		expect(s.incidents.by_source.synthetic).toBe(2500);
		const c = await db.rpc<Counts>(
			'incident_counts',
			{ p_from: '2010-01-01', p_to: '2018-12-31' },
			analyst
		);
		expect(Object.keys(c.by_type).sort()).toEqual([
			'battles',
			'explosions_remote_violence',
			'protests',
			'riots',
			'strategic_developments',
			'violence_against_civilians'
		]);
		const [row] = await db.queryOwner<{
			n: number;
			samples: number;
			placed: number;
			min: string;
			max: string;
		}>(
			`select count(*)::int as n, count(*) filter (where is_sample)::int as samples,
			        count(*) filter (where admin1_pcode is not null)::int as placed,
			        min(event_date)::text as min, max(event_date)::text as max
			 from public.incidents where upstream_source = 'synthetic'`
		);
		expect(row.samples).toBe(2500);
		expect(row.placed).toBe(2500);
		expect(row.min >= '2010-01-01' && row.max <= '2018-12-31').toBe(true);
	});
});
