/**
 * The analysis functions on the demo data, against figures computed here from the raw UCDP GED
 * file (supabase/seed/ucdp_ged_irq_hdx_1989-2018.csv) with papaparse and turf — not with the
 * seed code: year counts from date_start, governorates by point-in-polygon against the COD-AB
 * sub-districts, following the placement rule in supabase/seed/README.md (as deep as where_prec
 * allows; events located only as a region or the country with no adm_1 have no governorate; a
 * point in no polygon takes the nearest sub-district within 10 km).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { booleanPointInPolygon, point, pointToPolygonDistance } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerUser } from '../../src/lib/server/db/types.ts';
import { computeBaseline } from '../../src/lib/domain/baseline.ts';
import {
	engineNames,
	makeUser,
	openEngine,
	type Engine
} from '../../tests/integration/helpers/db.ts';

const SEED = join(import.meta.dirname, '..', '..', 'supabase', 'seed');

interface Event {
	id: string;
	date: string;
	best: number;
	gov: string | null;
}

function rawEvents(): Event[] {
	const text = readFileSync(join(SEED, 'ucdp_ged_irq_hdx_1989-2018.csv'), 'utf8');
	const rows = Papa.parse<Record<string, string>>(text, {
		header: true,
		skipEmptyLines: true
	}).data;
	const events = rows.filter((r) => /^\d+$/.test(r.id ?? '')); // drops the HXL row (#date+year …)
	const adm3 = JSON.parse(
		readFileSync(join(SEED, 'irq_admbnda_adm3_cso_20190603.geojson'), 'utf8')
	) as FeatureCollection<Polygon | MultiPolygon>;
	const polys = adm3.features as Feature<
		Polygon | MultiPolygon,
		{ ADM1_PCODE: string; ADM3_PCODE: string }
	>[];
	return events.map((r) => {
		const wp = Number(r.where_prec);
		const depth = wp <= 4 ? 1 : r.adm_1.trim() ? 1 : 0;
		let gov: string | null = null;
		if (depth > 0) {
			const p = point([Number(r.longitude), Number(r.latitude)]);
			const inside = polys
				.filter((f) => booleanPointInPolygon(p, f))
				.sort((a, b) => a.properties.ADM3_PCODE.localeCompare(b.properties.ADM3_PCODE))[0];
			if (inside) gov = inside.properties.ADM1_PCODE;
			else {
				let best: { d: number; f: (typeof polys)[number] } | null = null;
				for (const f of polys) {
					const d = pointToPolygonDistance(p, f, { units: 'kilometers' });
					if (!best || d < best.d) best = { d, f };
				}
				if (best && best.d <= 10) gov = best.f.properties.ADM1_PCODE;
			}
		}
		return { id: r.id, date: r.date_start, best: Number(r.best), gov };
	});
}

describe.each(engineNames())('analysis of the UCDP demo data on %s', (engineName) => {
	let e: Engine;
	let analyst: CallerUser;
	let viewer: CallerUser;
	const events = rawEvents();

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		analyst = await makeUser(e.db, 'analyst');
		viewer = await makeUser(e.db, 'viewer');
	});
	afterAll(async () => e?.close());

	it('has the 7,473 events of the raw file, per year as in the file', async () => {
		expect(events).toHaveLength(7473);
		const s = await e.db.rpc<{
			total: number;
			fatalities: number;
			bins: { bin: string; n: number; fatalities: number }[];
		}>('incident_stats', { p_by: 'month', p_group: 'none' }, viewer);
		expect(s.total).toBe(7473);
		expect(s.fatalities).toBe(events.reduce((a, x) => a + x.best, 0));
		const perYear = (rows: { y: string; n: number }[]) => {
			const out: Record<string, number> = {};
			for (const r of rows) out[r.y] = (out[r.y] ?? 0) + r.n;
			return out;
		};
		expect(perYear(s.bins.map((b) => ({ y: b.bin.slice(0, 4), n: b.n })))).toEqual(
			perYear(events.map((x) => ({ y: x.date.slice(0, 4), n: 1 })))
		);
	});

	it('counts per governorate as point-in-polygon on the raw coordinates does', async () => {
		const got = await e.db.rpc<{
			areas: { pcode: string; n: number; fatalities: number }[];
			unassigned: { n: number };
		}>('incidents_by_area', { p_level: 1 }, analyst);
		const want: Record<string, number> = {};
		for (const x of events) if (x.gov) want[x.gov] = (want[x.gov] ?? 0) + 1;
		expect(Object.fromEntries(got.areas.filter((a) => a.n > 0).map((a) => [a.pcode, a.n]))).toEqual(
			want
		);
		expect(got.unassigned.n).toBe(events.filter((x) => !x.gov).length);
		expect(got.areas).toHaveLength(18);
	});

	it('flags governorates and the country as the baseline rule applied to the raw file does', async () => {
		for (const asOf of ['2014-06-30', '2016-10-31', '2017-07-10', '2018-12-25']) {
			const b = await e.db.rpc<{
				rows: {
					pcode: string | null;
					week_n: number;
					four_weeks_n: number;
					baseline_n: number;
					week_trend: string;
					four_weeks_trend: string;
					four_weeks_low_count: boolean;
				}[];
			}>('baseline_table', { p_as_of: asOf, p_level: 1 }, analyst);
			const country = await e.db.rpc<{ row: (typeof b.rows)[number] }>(
				'area_baseline',
				{ p_as_of: asOf },
				analyst
			);
			for (const r of [country.row, ...b.rows]) {
				const mine = events.filter((x) => r.pcode === null || x.gov === r.pcode);
				const ts = computeBaseline(
					mine.map((x) => x.date),
					asOf
				);
				expect(
					[
						r.week_n,
						r.four_weeks_n,
						r.baseline_n,
						r.week_trend,
						r.four_weeks_trend,
						r.four_weeks_low_count
					],
					`${asOf} ${r.pcode ?? 'Iraq'}`
				).toEqual([
					ts.week.observed,
					ts.fourWeeks.observed,
					ts.baselineCount,
					ts.week.trend,
					ts.fourWeeks.trend,
					ts.fourWeeks.lowCount
				]);
			}
		}
	});
});
