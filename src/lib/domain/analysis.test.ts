import { describe, expect, it } from 'vitest';
import {
	autoBin,
	binEnd,
	binsBetween,
	binStart,
	isoDayOfWeek,
	isoWeekLabel,
	nextBin
} from './analysis.ts';

describe('time bins', () => {
	it('starts ISO weeks on Monday, across year ends', () => {
		expect(binStart('2018-12-31', 'week')).toBe('2018-12-31'); // a Monday
		expect(binStart('2019-01-06', 'week')).toBe('2018-12-31'); // the Sunday after
		expect(binStart('2019-01-07', 'week')).toBe('2019-01-07');
		expect(binStart('2017-01-01', 'week')).toBe('2016-12-26'); // a Sunday: last year's week
		expect(binStart('2016-02-29', 'week')).toBe('2016-02-29');
		expect(binStart('2016-03-06', 'week')).toBe('2016-02-29');
		expect(binStart('1970-01-01', 'week')).toBe('1969-12-29');
	});
	it('names weeks the ISO way', () => {
		expect(isoWeekLabel('2018-12-31')).toBe('2019-W01');
		expect(isoWeekLabel('2017-01-01')).toBe('2016-W52');
		expect(isoWeekLabel('2015-12-31')).toBe('2015-W53');
		expect(isoWeekLabel('2014-06-10')).toBe('2014-W24');
	});
	it('bins by day and month', () => {
		expect(binStart('2014-06-10', 'day')).toBe('2014-06-10');
		expect(binStart('2014-06-10', 'month')).toBe('2014-06-01');
		expect(nextBin('2014-12-01', 'month')).toBe('2015-01-01');
		expect(binEnd('2016-02-01', 'month')).toBe('2016-02-29');
		expect(binEnd('2018-12-31', 'week')).toBe('2019-01-06');
	});
	it('lists every bin between two dates, gaps included', () => {
		expect(binsBetween('2014-01-15', '2014-04-02', 'month')).toEqual([
			'2014-01-01',
			'2014-02-01',
			'2014-03-01',
			'2014-04-01'
		]);
		expect(binsBetween('2019-01-06', '2019-01-07', 'week')).toEqual(['2018-12-31', '2019-01-07']);
		expect(binsBetween('2014-01-01', '2014-01-03', 'day')).toHaveLength(3);
		expect(() => binsBetween('1989-01-01', '2018-12-31', 'day', 1000)).toThrow(/larger bin/);
	});
	it('picks a bin size that keeps a chart readable', () => {
		expect(autoBin('2014-01-01', '2014-03-31')).toBe('day');
		expect(autoBin('2014-01-01', '2015-12-31')).toBe('week');
		expect(autoBin('1989-01-01', '2018-12-31')).toBe('month');
	});
	it('numbers days of the week from Monday = 1', () => {
		expect(isoDayOfWeek('2018-12-31')).toBe(1);
		expect(isoDayOfWeek('2019-01-06')).toBe(7);
	});
});
