import { describe, expect, it } from 'vitest';
import { formatDayFirst, latinDigits, parseDayFirst } from './date-input.ts';

describe('day-first date input', () => {
	it('reads day/month/year with any separator, and ISO', () => {
		expect(parseDayFirst('03/04/2024')).toBe('2024-04-03');
		expect(parseDayFirst('3-4-2024')).toBe('2024-04-03');
		expect(parseDayFirst('25.12.2018')).toBe('2018-12-25');
		expect(parseDayFirst(' 2018-12-25 ')).toBe('2018-12-25');
		expect(parseDayFirst('')).toBe('');
	});
	it('reads Arabic-Indic and Kurdish digits, and ignores direction marks', () => {
		expect(latinDigits('٢٥/١٢/٢٠١٨')).toBe('25/12/2018');
		expect(parseDayFirst('٢٥/١٢/٢٠١٨')).toBe('2018-12-25');
		expect(parseDayFirst('\u200f۲۵/۱۲/۲۰۱۸')).toBe('2018-12-25');
	});
	it('refuses what is not a real day-first date', () => {
		expect(parseDayFirst('12/25/2018')).toBeNull(); // month first: there is no month 25
		expect(parseDayFirst('31/02/2024')).toBeNull();
		expect(parseDayFirst('29/02/2023')).toBeNull();
		expect(parseDayFirst('29/02/2024')).toBe('2024-02-29');
		expect(parseDayFirst('yesterday')).toBeNull();
		expect(parseDayFirst('1/1/24')).toBeNull();
	});
	it('writes day/month/year in the locale’s digits', () => {
		expect(formatDayFirst('2018-12-25', 'en')).toBe('25/12/2018');
		expect(formatDayFirst('2018-12-05', 'fr')).toBe('05/12/2018');
		expect(latinDigits(formatDayFirst('2018-12-25', 'ar'))).toBe('25/12/2018');
		expect(formatDayFirst('', 'en')).toBe('');
	});
});
