import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { batches, hasArabic } from './rows.ts';
import {
	mapAreaFeatures,
	mapOsmHospitals,
	mapSampleCheckpoints,
	mapSampleOrgSites,
	mapUnhcrCamps,
	parseCampsCsv
} from './sources.ts';

const seedDir = fileURLToPath(new URL('../../../../supabase/seed/', import.meta.url));
const square = {
	type: 'Polygon',
	coordinates: [
		[
			[43, 36],
			[43.1, 36],
			[43.1, 36.1],
			[43, 36]
		]
	]
};

describe('mapAreaFeatures', () => {
	it('reads P-codes, English and Arabic names and the parent P-code of each level', () => {
		const fc = {
			type: 'FeatureCollection',
			features: [
				{
					type: 'Feature',
					properties: {
						ADM2_PCODE: 'IQG15Q01',
						ADM2_EN: 'Al-Mosul',
						ADM2_AR: 'الموصل',
						ADM1_PCODE: 'IQG15',
						ADM1_EN: 'Ninewa'
					},
					geometry: square
				}
			]
		};
		expect(mapAreaFeatures(fc, 2)).toEqual([
			{
				pcode: 'IQG15Q01',
				level: 2,
				name_en: 'Al-Mosul',
				name_ar: 'الموصل',
				parent_pcode: 'IQG15',
				geometry: square
			}
		]);
	});

	it('has no parent for governorates and refuses a district without one', () => {
		const gov = {
			type: 'FeatureCollection',
			features: [
				{
					type: 'Feature',
					properties: { ADM1_PCODE: 'IQG15', ADM1_EN: 'Ninewa' },
					geometry: square
				}
			]
		};
		expect(mapAreaFeatures(gov, 1)[0]).toMatchObject({ parent_pcode: null, name_ar: null });
		const orphan = {
			type: 'FeatureCollection',
			features: [
				{
					type: 'Feature',
					properties: { ADM2_PCODE: 'IQG15Q01', ADM2_EN: 'Al-Mosul' },
					geometry: square
				}
			]
		};
		expect(() => mapAreaFeatures(orphan, 2)).toThrow(/ADM1_PCODE \(the parent\)/);
	});

	it('reads the shipped COD-AB files: 18, 101 and 294 units', () => {
		const n = (level: 1 | 2 | 3) =>
			mapAreaFeatures(
				JSON.parse(readFileSync(`${seedDir}irq_admbnda_adm${level}_cso_20190603.geojson`, 'utf8')),
				level
			).length;
		expect([n(1), n(2), n(3)]).toEqual([18, 101, 294]);
	});
});

describe('mapOsmHospitals', () => {
	const fc = (props: Record<string, unknown>) => ({
		type: 'FeatureCollection',
		features: [
			{
				type: 'Feature',
				properties: {
					osm_id: '94298797',
					timestamp: '2012-07-20T11:15:39Z',
					type: 'hospital',
					...props
				},
				geometry: { type: 'Point', coordinates: [44.378, 33.345] }
			}
		]
	});

	it('keeps an Arabic-only name as both the name and the Arabic name', () => {
		expect(mapOsmHospitals(fc({ name: 'المستشفى الجمهوري' }))[0]).toMatchObject({
			upstream_id: '94298797',
			name: 'المستشفى الجمهوري',
			name_ar: 'المستشفى الجمهوري',
			facility_type: 'hospital',
			lon: 44.378,
			lat: 33.345
		});
	});

	it('prefers name:en and name:ar tags when present', () => {
		expect(
			mapOsmHospitals(
				fc({ name: 'مستشفى آزادي', 'name:en': 'Azadi Hospital', 'name:ar': 'مستشفى آزادي' })
			)[0]
		).toMatchObject({
			name: 'Azadi Hospital',
			name_ar: 'مستشفى آزادي'
		});
		expect(mapOsmHospitals(fc({ name: 'Rapareen Hospital' }))[0]).toMatchObject({
			name: 'Rapareen Hospital',
			name_ar: null
		});
	});

	it('names an unnamed hospital and says so', () => {
		const [h] = mapOsmHospitals(fc({ name: '' }));
		expect(h.name).toBe('Unnamed hospital');
		expect(h.notes).toMatch(/No name in OpenStreetMap/);
	});

	it('reads the shipped extract: 86 hospitals with distinct OSM ids', () => {
		const rows = mapOsmHospitals(
			JSON.parse(readFileSync(`${seedDir}gaia_osm_iraq_hospitals.geojson`, 'utf8'))
		);
		expect(rows).toHaveLength(86);
		expect(new Set(rows.map((r) => r.upstream_id)).size).toBe(86);
	});
});

describe('UNHCR camps', () => {
	const header = [
		'LOCATION',
		'Governorate',
		'ID_CAMP',
		'LOCATION_T',
		'Status',
		'LATITUDE',
		'LONGITUDE',
		'Individual',
		'Managing Organisation',
		'date',
		'Current status'
	];
	const file = (rows: string[][]) => Papa.unparse({ fields: header, data: rows });

	it('maps status, type, population, date and managing organisation', () => {
		const rows = mapUnhcrCamps(
			parseCampsCsv(
				file([
					[
						'Akre',
						'Ninewa',
						'ni-ref-2',
						'Refugee Camp',
						'Open',
						'36.735437',
						'43.879589',
						'1401',
						'UNHCR',
						'1/9/2014',
						''
					],
					[
						'Basijan',
						'Sulaymaniyah',
						'su-idp-5',
						'IDPs Camps',
						'Under Development',
						'35.49472',
						'44.97115',
						'0',
						'tbd',
						'20/10/2014',
						'UN Habitat construction'
					],
					[
						'Sitak',
						'Sulaymaniyah',
						'su-idp-4',
						'Collective center',
						'Suggested Camp Location',
						'35.636',
						'45.516',
						'',
						'to be updated',
						'',
						''
					]
				])
			)
		);
		expect(rows[0]).toMatchObject({
			upstream_id: 'ni-ref-2',
			camp_type: 'refugee',
			status: 'open',
			population: 1401,
			managing_org: 'UNHCR',
			population_date: '2014-09-01',
			lon: 43.879589,
			lat: 36.735437
		});
		expect(rows[1]).toMatchObject({
			camp_type: 'idp',
			status: 'under_construction',
			population: 0,
			managing_org: null,
			population_date: '2014-10-20'
		});
		expect(rows[1].notes).toMatch(/UN Habitat construction/);
		expect(rows[2]).toMatchObject({
			camp_type: 'idp',
			status: 'planned',
			population: null,
			population_date: null
		});
		expect(rows[2].notes).toMatch(/^Collective centre\./);
	});

	it('gives camps that share an ID_CAMP distinct, stable upstream ids', () => {
		const rows = mapUnhcrCamps(
			parseCampsCsv(
				file([
					[
						'Chamishku Camp',
						'Dahuk',
						'da-idp-17',
						'IDPs Camps',
						'Open',
						'37.16',
						'42.61',
						'0',
						'DMC',
						'',
						''
					],
					[
						'Mam Al Yan Camp',
						'Dahuk',
						'da-idp-17',
						'IDPs Camps',
						'Open',
						'36.74',
						'43.89',
						'0',
						'DMC',
						'',
						''
					]
				])
			)
		);
		expect(rows.map((r) => r.upstream_id)).toEqual([
			'da-idp-17/chamishku-camp',
			'da-idp-17/mam-al-yan-camp'
		]);
	});

	it('refuses an unknown status', () => {
		expect(() =>
			mapUnhcrCamps(
				parseCampsCsv(
					file([['X', 'Erbil', 'er-1', 'IDPs Camps', 'Gone', '36', '44', '1', 'DMC', '', '']])
				)
			)
		).toThrow(/unknown Status "Gone"/);
	});

	it('reads the shipped report: 47 camps, 144,857 people, unique ids', () => {
		const rows = mapUnhcrCamps(
			parseCampsCsv(readFileSync(`${seedDir}unhcr_iraq_camps_weeklyreport_2014.csv`, 'utf8'))
		);
		expect(rows).toHaveLength(47);
		expect(rows.reduce((s, r) => s + (r.population ?? 0), 0)).toBe(144_857);
		expect(new Set(rows.map((r) => r.upstream_id)).size).toBe(47);
	});
});

describe('samples', () => {
	it('loads the shipped checkpoints as samples, each controlled by a listed actor', () => {
		const { actors, checkpoints } = mapSampleCheckpoints(
			JSON.parse(readFileSync(`${seedDir}sample_checkpoints.json`, 'utf8'))
		);
		expect(checkpoints.length).toBeGreaterThanOrEqual(10);
		expect(checkpoints.every((c) => c.is_sample && /SAMPLE/.test(c.notes))).toBe(true);
		expect(new Set(checkpoints.map((c) => c.status))).toEqual(
			new Set(['open', 'restricted', 'closed'])
		);
		expect(actors.map((a) => a.name)).toContain('Peshmerga');
		expect(checkpoints.every((c) => hasArabic(c.name_ar))).toBe(true);
	});

	it('refuses a checkpoint outside Iraq or controlled by an unlisted actor', () => {
		const cp = {
			id: 'x',
			name: 'X',
			name_ar: null,
			road: 'R',
			controlled_by: 'Peshmerga',
			status: 'open',
			last_verified_at: null,
			lon: 43,
			lat: 36,
			notes: ''
		};
		const actors = [{ name: 'Peshmerga', actor_type: 'state_forces' }];
		expect(mapSampleCheckpoints({ actors, checkpoints: [cp] }).checkpoints).toHaveLength(1);
		expect(() =>
			mapSampleCheckpoints({ actors, checkpoints: [{ ...cp, lon: 2.35, lat: 48.85 }] })
		).toThrow(/checkpoints\.0\.lon/);
		expect(() =>
			mapSampleCheckpoints({ actors, checkpoints: [{ ...cp, controlled_by: 'Nobody' }] })
		).toThrow(/"Nobody", which is not in actors/);
	});

	it('loads the shipped organisation sites: every kind of site, all samples', () => {
		const sites = mapSampleOrgSites(
			JSON.parse(readFileSync(`${seedDir}sample_org_sites.json`, 'utf8'))
		);
		expect(new Set(sites.map((s) => s.site_type))).toEqual(
			new Set(['office', 'base', 'guesthouse', 'warehouse', 'hibernation_site', 'assembly_point'])
		);
		expect(sites.every((s) => s.is_sample)).toBe(true);
	});
});

describe('batches', () => {
	it('splits into batches of at most the given size', () => {
		expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
		expect(batches([], 2000)).toEqual([]);
		expect(() => batches([1], 0)).toThrow(/positive integer/);
	});
});
