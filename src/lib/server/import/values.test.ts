import { describe, expect, it } from 'vitest';
import * as V from './values.ts';

describe('cell values', () => {
	it('reads dates as field teams write them', () => {
		expect(V.date('2024-03-15')).toBe('2024-03-15');
		expect(V.date('2024-03-15T10:20:00Z')).toBe('2024-03-15');
		expect(V.date('15/03/2024')).toBe('2024-03-15');
		expect(V.date('03/04/2024')).toBe('2024-04-03'); // day first by default
		expect(V.date('03/04/2024', 'mdy')).toBe('2024-03-04');
		expect(V.date('04/15/2024')).toBe('2024-04-15'); // 15 cannot be a month
		expect(V.date('15 March 2024')).toBe('2024-03-15');
		expect(V.date('15-Mar-2024')).toBe('2024-03-15');
		expect(V.date('March 15, 2024')).toBe('2024-03-15');
		expect(V.date(new Date(Date.UTC(2024, 2, 15)))).toBe('2024-03-15');
		expect(V.date(45366)).toBe('2024-03-15'); // Excel serial
		expect(V.date('')).toBeNull();
	});

	it('refuses impossible, vague and future dates', () => {
		expect(() => V.date('2024-02-30')).toThrow(/not a real calendar date/);
		expect(() => V.date('yesterday')).toThrow(/not a date/);
		expect(() => V.date('2999-01-01')).toThrow(/in the future/);
		expect(() => V.date('32/01/2024')).toThrow(/not a real calendar date/);
	});

	it('reads numbers with thousands separators or decimal commas, and refuses words', () => {
		expect(V.number('1,234')).toBe(1234);
		expect(V.number('12,5')).toBe(12.5);
		expect(V.count('7')).toBe(7);
		expect(() => V.count('-1')).toThrow(/whole number/);
		expect(() => V.count('2.5')).toThrow(/whole number/);
		expect(() => V.number('seven')).toThrow(/not a number/);
	});

	it('maps ACLED labels and sub-event names to event types', () => {
		expect(V.eventType('Explosions/Remote violence')).toEqual({
			event_type: 'explosions_remote_violence'
		});
		expect(V.eventType('violence_against_civilians')).toEqual({
			event_type: 'violence_against_civilians'
		});
		expect(V.eventType('Armed clash')).toEqual({
			event_type: 'battles',
			sub_event_type: 'Armed clash'
		});
		expect(() => V.eventType('picnic')).toThrow(/not an event type/);
		// NGO tracker categories, in English and Arabic.
		expect(V.eventType('IED')).toEqual({
			event_type: 'explosions_remote_violence',
			sub_event_type: 'Remote explosive/landmine/IED'
		});
		expect(V.eventType('Kidnapping')).toEqual({
			event_type: 'violence_against_civilians',
			sub_event_type: 'Abduction/forced disappearance'
		});
		expect(V.eventType('Demonstrations')).toEqual({
			event_type: 'protests',
			sub_event_type: 'Peaceful protest'
		});
		expect(V.eventType('اختطاف')).toEqual({
			event_type: 'violence_against_civilians',
			sub_event_type: 'Abduction/forced disappearance'
		});
		expect(V.eventType('اشتباك مسلح')).toEqual({
			event_type: 'battles',
			sub_event_type: 'Armed clash'
		});
	});

	it('checks points: ranges, swapped axes and the 0,0 of blank cells', () => {
		expect(V.point(43.1, 36.3)).toEqual({ lon: 43.1, lat: 36.3 });
		expect(() => V.point(36.3, 120.5)).toThrow(/swapped/);
		expect(() => V.point(236.4, 36.2)).toThrow(/longitude 236.4 is outside/);
		expect(() => V.point(0, 0)).toThrow(/0, 0/);
		expect(() => V.point(null, 36)).toThrow(/longitude is missing/);
		expect(V.degrees(`36°20'24"N`, 'lat')).toBeCloseTo(36.34, 5);
		expect(V.coordinates('38SLF3217823283')!.lon).toBeCloseTo(43.13, 3);
	});

	it('reads yes/no in English and Arabic', () => {
		expect(V.bool('Yes')).toBe(true);
		expect(V.bool('نعم')).toBe(true);
		expect(V.bool('0')).toBe(false);
		expect(() => V.bool('maybe')).toThrow(/yes\/no/);
	});
});
