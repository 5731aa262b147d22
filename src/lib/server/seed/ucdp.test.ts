import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
	adminDepth,
	eventType,
	explosiveSubEvent,
	geoPrecision,
	isHxlRow,
	mapUcdpRecord,
	parseUcdpCsv,
	timePrecision,
	ucdpActors,
	type UcdpRecord
} from './ucdp.ts';

// A UCDP record as HDX exports it, with the fields the mapping reads.
function record(over: Partial<UcdpRecord> = {}): UcdpRecord {
	return {
		id: '114064',
		year: '2014',
		type_of_violence: '1',
		dyad_name: 'Government of Iraq - IS',
		side_a: 'Government of Iraq',
		side_b: 'IS',
		source_article:
			'"Agence France Presse,2014-01-25,Iraq violence kills 14 as January toll tops 800"',
		source_headline: 'Iraq violence kills 14 as January toll tops 800',
		source_original: 'Doctor',
		where_prec: '1',
		where_coordinates: 'Al Fallūjah town',
		adm_1: 'Al Anbār province',
		adm_2: 'Qaḑā’ al Fallūjah',
		latitude: '33.355813',
		longitude: '43.786124',
		date_prec: '1',
		date_start: '2014-01-24',
		date_end: '2014-01-25',
		deaths_a: '0',
		deaths_b: '0',
		deaths_civilians: '1',
		deaths_unknown: '7',
		low: '8',
		best: '8',
		high: '9',
		...over
	};
}

function csv(records: UcdpRecord[], hxl = true): string {
	const fields = Object.keys(records[0]);
	const tags = Object.fromEntries(
		fields.map((f) => [
			f,
			(
				{
					year: '#date+year',
					side_a: '#group+name+first',
					latitude: '#geo+lat',
					best: '#affected+killed'
				} as Record<string, string>
			)[f] ?? ''
		])
	);
	return Papa.unparse({ fields, data: hxl ? [tags, ...records] : records });
}

describe('parseUcdpCsv', () => {
	it('skips the HXL hashtag row and keeps every event', () => {
		const rows = parseUcdpCsv(csv([record(), record({ id: '62366' })]));
		expect(rows.map((r) => r.id)).toEqual(['114064', '62366']);
	});

	it('recognises the HXL row by its content, wherever it is', () => {
		expect(isHxlRow({ id: '', year: '#date+year', side_a: '#group+name+first' })).toBe(true);
		expect(isHxlRow(record())).toBe(false);
		expect(isHxlRow({ id: '', year: '' })).toBe(false);
		expect(parseUcdpCsv(csv([record()], false))).toHaveLength(1);
	});

	it('refuses a file without the columns the mapping needs', () => {
		expect(() => parseUcdpCsv('id,year\n1,2014\n')).toThrow(/missing column\(s\) type_of_violence/);
	});
});

describe('event type', () => {
	it('maps state-based and non-state violence to battles, one-sided violence to violence against civilians', () => {
		expect(
			mapUcdpRecord(
				record({
					type_of_violence: '1',
					source_headline: 'Clashes in Fallujah',
					source_article: ''
				})
			).event_type
		).toBe('battles');
		expect(
			mapUcdpRecord(
				record({
					type_of_violence: '2',
					source_headline: 'Fighting between groups',
					source_article: ''
				})
			).event_type
		).toBe('battles');
		expect(
			mapUcdpRecord(
				record({
					type_of_violence: '3',
					side_b: 'Civilians',
					source_headline: 'Gunmen kill villagers',
					source_article: ''
				})
			).event_type
		).toBe('violence_against_civilians');
	});

	it('turns any type into explosions/remote violence when the text names an explosive weapon', () => {
		for (const tov of ['1', '2', '3']) {
			const r = mapUcdpRecord(
				record({
					type_of_violence: tov,
					source_headline: '',
					source_article: 'Reuters, 2013-05-27, Car bombs hit Baghdad'
				})
			);
			expect(r.event_type).toBe('explosions_remote_violence');
			expect(r.sub_event_type).toBe('Remote explosive/landmine/IED');
		}
	});

	it('refuses an unknown type_of_violence', () => {
		expect(() => eventType('4', '')).toThrow(/type_of_violence/);
		expect(() => mapUcdpRecord(record({ type_of_violence: '' }))).toThrow(
			/UCDP event 114064: .*type_of_violence/
		);
	});
});

describe('explosive heuristic', () => {
	it.each([
		['Roadside IED kills two soldiers', 'Remote explosive/landmine/IED'],
		['VBIED detonated near checkpoint', 'Remote explosive/landmine/IED'],
		['Car bomb kills 11 in Kerbala', 'Remote explosive/landmine/IED'],
		['Bombings kill 15 in and around Iraqi capital', 'Remote explosive/landmine/IED'],
		['Suicide bomber kills seven', 'Suicide bomb'],
		['Suicide car bomb hits police station', 'Suicide bomb'],
		['Mortar rounds fall on market', 'Shelling/artillery/missile attack'],
		['Rocket attack on Green Zone', 'Shelling/artillery/missile attack'],
		['Shelling kills 11 in Fallujah: doctor', 'Shelling/artillery/missile attack'],
		['Coalition airstrike hits IS convoy', 'Air/drone strike'],
		['Turkish air strikes on PKK positions', 'Air/drone strike'],
		['Grenade thrown at patrol', 'Grenade']
	])('%s → %s', (text, sub) => {
		expect(explosiveSubEvent(text)).toBe(sub);
	});

	it.each([
		'Gunmen kill five at checkpoint',
		'Iraq violence kills 14 as January toll tops 800',
		'Clashes with militants in Ramadi',
		'Bombardier Aerospace signs deal', // only starts like "bomb"
		'Officials determined to act' // contains "mine" inside a word
	])('no explosive: %s', (text) => {
		expect(explosiveSubEvent(text)).toBeNull();
	});

	it('reads a bare "mine" as a landmine (a documented false-positive risk)', () => {
		expect(explosiveSubEvent('Troops clear mines in Fallujah hospital')).toBe(
			'Remote explosive/landmine/IED'
		);
	});
});

describe('precision', () => {
	it('maps UCDP date_prec to time_precision', () => {
		expect(['1', '2', '3', '4', '5'].map(timePrecision)).toEqual([
			'day',
			'week',
			'week',
			'month',
			'year'
		]);
		expect(() => timePrecision('6')).toThrow(/date_prec/);
	});

	it('maps UCDP where_prec to geo_precision', () => {
		expect(['1', '2', '3', '4', '5', '6', '7'].map(geoPrecision)).toEqual([1, 2, 2, 3, 3, 3, 3]);
		expect(() => geoPrecision('0')).toThrow(/where_prec/);
	});

	it('places a point only as deep as its location is known', () => {
		expect(adminDepth('1', 'Nīnawá province')).toBe(3);
		expect(adminDepth('2', 'Nīnawá province')).toBe(3);
		expect(adminDepth('3', 'Nīnawá province')).toBe(2);
		expect(adminDepth('4', 'Nīnawá province')).toBe(1);
		expect(adminDepth('5', 'Şalāḩ ad Dīn province')).toBe(1); // Hamrin mountains: governorate known
		expect(adminDepth('5', '')).toBe(0); // "Northern Iraq"
		expect(adminDepth('6', '')).toBe(0); // "Iraq"
	});
});

describe('mapUcdpRecord', () => {
	it('maps one event to an incident row', () => {
		const r = mapUcdpRecord(record({ date_prec: '2' }));
		expect(r).toMatchObject({
			upstream_id: '114064',
			event_date: '2014-01-24',
			time_precision: 'week',
			event_type: 'battles',
			actor1: 'Government of Iraq',
			actor2: 'IS',
			lon: 43.786124,
			lat: 33.355813,
			geo_precision: 1,
			admin_depth: 3,
			location_name: 'Al Fallūjah town',
			fatalities: 8,
			status: 'verified',
			confidentiality: 'public',
			is_sample: false
		});
		expect(r.notes.split('\n')[0]).toBe('Iraq violence kills 14 as January toll tops 800');
		expect(r.source).toMatch(
			/^UCDP GED; original source: Doctor; "Agence France Presse,2014-01-25/
		);
	});

	it('falls back to the admin names for the location and to the dyad for the notes', () => {
		const r = mapUcdpRecord(record({ where_coordinates: '', adm_2: '', source_headline: '' }));
		expect(r.location_name).toBe('Al Anbār province');
		expect(r.notes).toMatch(
			/^UCDP dyad Government of Iraq - IS; deaths: side A 0, side B 0, civilians 1, unknown 7/
		);
	});

	it('refuses bad coordinates, dates and fatalities, naming the event', () => {
		expect(() => mapUcdpRecord(record({ latitude: '' }))).toThrow(/UCDP event 114064: .*latitude/);
		expect(() => mapUcdpRecord(record({ date_start: '24/01/2014' }))).toThrow(/date_start/);
		expect(() => mapUcdpRecord(record({ best: '-1' }))).toThrow(/best/);
	});
});

describe('ucdpActors', () => {
	it('lists each actor once, case-insensitively, with a type from its name', () => {
		const rows = [
			mapUcdpRecord(record()),
			mapUcdpRecord(record({ id: '2', side_a: 'IS', side_b: 'Civilians', type_of_violence: '3' })),
			mapUcdpRecord(record({ id: '3', side_a: 'government of iraq', side_b: 'PKK' })),
			mapUcdpRecord(
				record({
					id: '4',
					side_a:
						'Government of Australia, Government of United Kingdom, Government of United States of America',
					side_b: 'IS'
				})
			)
		];
		expect(ucdpActors(rows).map((a) => [a.name, a.actor_type])).toEqual([
			['Government of Iraq', 'state_forces'],
			['IS', 'armed_group'],
			['Civilians', 'civilians'],
			['PKK', 'armed_group'],
			[
				'Government of Australia, Government of United Kingdom, Government of United States of America',
				'state_forces'
			]
		]);
	});
});
