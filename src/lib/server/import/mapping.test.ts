import { describe, expect, it } from 'vitest';
import { mapRecord } from './map-record.ts';
import { detectPreset, guessMapping, hxlMapping, resolveMapping } from './mapping.ts';

const ACLED_COLS = [
	'event_id_cnty',
	'event_date',
	'time_precision',
	'event_type',
	'sub_event_type',
	'actor1',
	'actor2',
	'admin1',
	'location',
	'latitude',
	'longitude',
	'geo_precision',
	'fatalities',
	'notes',
	'source'
];

describe('mappings', () => {
	it('recognises ACLED, UCDP and Terrain exports by their columns', () => {
		expect(detectPreset('incidents', ACLED_COLS, null)).toBe('acled');
		expect(
			detectPreset(
				'incidents',
				[
					'id',
					'type_of_violence',
					'date_start',
					'date_prec',
					'where_prec',
					'latitude',
					'longitude',
					'best'
				],
				null
			)
		).toBe('ucdp');
		expect(
			detectPreset(
				'incidents',
				[
					'upstream_source',
					'upstream_id',
					'event_type',
					'event_date',
					'lat',
					'lon',
					'confidentiality'
				],
				null
			)
		).toBe('terrain');
		expect(detectPreset('incidents', ['a', 'b'], { a: '#geo+lat' })).toBe('hxl');
		expect(detectPreset('incidents', ['Date', 'Lat'], null)).toBe('columns');
	});

	it('maps HXL hashtags by tag and attributes, as HXL patterns do', () => {
		const m = hxlMapping('incidents', {
			D: '#date+occurred',
			Y: '#date+year',
			K: '#affected+killed',
			P: '#adm2+code',
			N: '#adm2+name',
			T: '#event+type',
			S: '#event+type+sub'
		});
		expect(m).toMatchObject({
			event_date: { column: 'D' },
			fatalities: { column: 'K' },
			admin_pcode: { column: 'P' },
			admin2: { column: 'N' },
			event_type: { column: 'T' },
			sub_event_type: { column: 'S' }
		});
	});

	it('guesses columns from English and Arabic names', () => {
		expect(
			guessMapping('incidents', ['Date of incident', 'Latitude', 'Longitude', 'Killed', 'الوصف'])
		).toMatchObject({
			event_date: { column: 'Date of incident' },
			lat: { column: 'Latitude' },
			lon: { column: 'Longitude' },
			fatalities: { column: 'Killed' },
			notes: { column: 'الوصف' }
		});
		expect(
			guessMapping('idp_camps', ['Camp name', 'HH', 'Individuals', 'CCCM agency'])
		).toMatchObject({
			name: { column: 'Camp name' },
			households: { column: 'HH' },
			population: { column: 'Individuals' },
			managing_org: { column: 'CCCM agency' }
		});
	});

	it('lets the user map and unmap, and names what is missing or unknown', () => {
		const r = resolveMapping('incidents', 'csv', ['When', 'What', 'Where'], null, {
			event_date: 'When',
			event_type: 'What',
			coordinates: 'Where'
		});
		expect(r.mapping).toMatchObject({
			event_date: { column: 'When' },
			coordinates: { column: 'Where' }
		});
		expect(() => resolveMapping('incidents', 'csv', ['When'], null, { colour: 'When' })).toThrow(
			/a field "colour" that incidents does not have/
		);
		expect(() =>
			resolveMapping('incidents', 'csv', ['When'], null, { event_date: 'Whence' })
		).toThrow(/a column "Whence" that the file does not have/);
		expect(() =>
			resolveMapping('incidents', 'csv', ['When', 'What'], null, {
				event_date: 'When',
				event_type: 'What'
			})
		).toThrow(/no location column/);
		expect(() =>
			resolveMapping('incidents', 'acled', ['event_id_cnty', 'event_date'], null)
		).toThrow(/missing required ACLED columns: event_type, latitude, longitude/);
	});

	it('turns an ACLED record into a staged row with ACLED code tables', () => {
		const { mapping } = resolveMapping('incidents', undefined, ACLED_COLS, null);
		const values = Object.fromEntries(ACLED_COLS.map((c) => [c, '']));
		Object.assign(values, {
			event_id_cnty: 'IRQ1',
			event_date: '2024-03-01',
			time_precision: '2',
			event_type: 'Battles',
			sub_event_type: 'Armed clash',
			latitude: '36.3',
			longitude: '43.1',
			geo_precision: '2',
			fatalities: '3'
		});
		const { data, problems } = mapRecord('incidents', { row: 2, values }, mapping, {
			dateOrder: 'dmy'
		});
		expect(problems).toEqual([]);
		expect(data).toEqual({
			_row: 2,
			upstream_id: 'IRQ1',
			event_date: '2024-03-01',
			time_precision: 'week',
			event_type: 'battles',
			sub_event_type: 'Armed clash',
			lat: 36.3,
			lon: 43.1,
			geo_precision: 2,
			fatalities: 3
		});
		const bad = mapRecord(
			'incidents',
			{ row: 3, values: { ...values, time_precision: '9', sub_event_type: 'Grenade' } },
			mapping,
			{ dateOrder: 'dmy' }
		);
		expect(bad.data).toBeNull();
		expect(bad.problems.map((p) => p.column).sort()).toEqual(['sub_event_type', 'time_precision']);
	});
});

describe('actor registries', () => {
	const cols = [
		'Stakeholder',
		'Arabic name',
		'Category',
		'AKA',
		'Stance',
		'Influence',
		'Interest',
		'HQ latitude',
		'HQ longitude'
	];
	it('guesses the columns of a stakeholder mapping and needs no location', () => {
		const r = resolveMapping('actors', undefined, cols, null);
		expect(r.mapping).toMatchObject({
			name: { column: 'Stakeholder' },
			name_ar: { column: 'Arabic name' },
			actor_type: { column: 'Category' },
			aliases: { column: 'AKA' },
			hq_lat: { column: 'HQ latitude' },
			hq_lon: { column: 'HQ longitude' }
		});
		expect(() => resolveMapping('actors', undefined, ['Name', 'Type'], null)).not.toThrow();
	});

	it('reads forgiving actor types, lists of aliases, and refuses influence outside 1–5 naming row and column', () => {
		const { mapping } = resolveMapping('actors', undefined, cols, null);
		const row = (values: Record<string, unknown>) =>
			mapRecord('actors', { row: 7, values }, mapping, { dateOrder: 'dmy' });
		expect(
			row({ Stakeholder: 'Sheikh X', Category: 'Tribal leader', AKA: 'X; Abu Y, Y' }).data
		).toMatchObject({
			name: 'Sheikh X',
			actor_type: 'community_leader',
			aliases: ['X', 'Abu Y', 'Y']
		});
		expect(row({ Stakeholder: 'A', Category: 'International NGO' }).data).toMatchObject({
			actor_type: 'ingo'
		});
		const bad = row({
			Stakeholder: 'B',
			Category: 'Criminal gang',
			Influence: '7',
			'HQ latitude': '36.1'
		});
		expect(bad.data).toBeNull();
		expect(bad.problems.map((p) => [p.row, p.column, p.reason.split(':')[0]])).toEqual([
			[7, 'Category', 'actor_type'],
			[7, 'Influence', 'influence'],
			[7, 'HQ longitude', 'hq_lon']
		]);
	});
});

describe('displacement locations (a DTM master list)', () => {
	const columns = [
		'Location ID',
		'Location name',
		'Governorate',
		'District',
		'Latitude',
		'Longitude',
		'Families',
		'Individuals',
		'Host families',
		'Rented houses',
		'Informal settlements',
		'Unfinished/abandoned building'
	];

	it('guesses the id, the population and each shelter type column', () => {
		const m = guessMapping('displacement_locations', columns);
		expect(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.column]))).toMatchObject({
			upstream_id: 'Location ID',
			name: 'Location name',
			admin1: 'Governorate',
			admin2: 'District',
			lat: 'Latitude',
			lon: 'Longitude',
			households: 'Families',
			population: 'Individuals',
			shelter_host_family: 'Host families',
			shelter_rented: 'Rented houses',
			shelter_informal_settlement: 'Informal settlements',
			shelter_unfinished_building: 'Unfinished/abandoned building'
		});
	});

	it('gathers the shelter columns into one object of people by type', () => {
		const values = Object.fromEntries(
			columns.map((c, i) => [
				c,
				[
					'IQ-DL-0042',
					'Sheikhan centre',
					'Ninewa',
					'Al-Shikhan',
					'36.69',
					'43.35',
					'120',
					'690',
					'400',
					'250',
					'',
					'40'
				][i]
			])
		);
		const { data, problems } = mapRecord(
			'displacement_locations',
			{ row: 2, values },
			guessMapping('displacement_locations', columns),
			{ dateOrder: 'dmy' }
		);
		expect(problems).toEqual([]);
		expect(data).toMatchObject({
			upstream_id: 'IQ-DL-0042',
			name: 'Sheikhan centre',
			population: 690,
			households: 120,
			lat: 36.69,
			lon: 43.35,
			shelter: { host_family: 400, rented: 250, unfinished_building: 40 }
		});
		expect(Object.keys(data!).filter((k) => k.startsWith('shelter_'))).toEqual([]);
	});
});
