import { describe, expect, it } from 'vitest';
import {
	shiftWindow,
	sliderPosition,
	windowCount,
	windowIndex,
	windowLabel,
	windowRange,
	windowStart
} from './timeline.ts';

describe('time slider windows', () => {
	it('snaps a date to the start of its window (weeks start on Monday)', () => {
		expect(windowStart('2014-03-19', 'day')).toBe('2014-03-19');
		expect(windowStart('2014-03-19', 'week')).toBe('2014-03-17');
		expect(windowStart('2014-03-16', 'week')).toBe('2014-03-10'); // a Sunday
		expect(windowStart('2014-03-19', 'month')).toBe('2014-03-01');
		expect(windowStart('2014-08-19', 'quarter')).toBe('2014-07-01');
		expect(windowStart('2014-08-19', 'year')).toBe('2014-01-01');
	});

	it('gives inclusive from/to, across month ends and leap years', () => {
		expect(windowRange('2016-02-10', 'month')).toEqual({ from: '2016-02-01', to: '2016-02-29' });
		expect(windowRange('2014-12-31', 'week')).toEqual({ from: '2014-12-29', to: '2015-01-04' });
		expect(windowRange('2014-11-02', 'quarter')).toEqual({ from: '2014-10-01', to: '2014-12-31' });
		expect(windowRange('2014-05-05', 'day')).toEqual({ from: '2014-05-05', to: '2014-05-05' });
	});

	it('steps forward and back', () => {
		expect(shiftWindow('2014-12-01', 'month', 1)).toBe('2015-01-01');
		expect(shiftWindow('2014-01-15', 'month', -1)).toBe('2013-12-01');
		expect(shiftWindow('2014-03-17', 'week', 2)).toBe('2014-03-31');
		expect(shiftWindow('2014-10-01', 'quarter', 1)).toBe('2015-01-01');
		expect(shiftWindow('2014-02-28', 'day', 1)).toBe('2014-03-01');
	});

	it('counts and indexes the windows of a range', () => {
		expect(windowCount('2014-01-05', '2014-12-20', 'month')).toBe(12);
		expect(windowCount('2014-01-05', '2016-02-01', 'year')).toBe(3);
		expect(windowIndex('2014-01-05', '2014-03-01', 'month')).toBe(2);
		expect(windowIndex('2014-01-01', '2014-12-31', 'quarter')).toBe(3);
		expect(windowCount('2014-01-01', '2014-01-01', 'day')).toBe(1);
	});

	it('keeps the position inside the range of the data', () => {
		const range = { min: '2014-01-10', max: '2014-06-02' };
		expect(sliderPosition('2014-03-04', 'month', range)).toEqual({
			index: 2,
			count: 6,
			from: '2014-03-01',
			to: '2014-03-31'
		});
		expect(sliderPosition('2020-01-01', 'month', range)?.index).toBe(5);
		expect(sliderPosition(null, 'month', range)?.from).toBe('2014-01-01');
		expect(sliderPosition('2014-03-04', 'month', null)).toBeNull();
	});

	it('names a window in the reader’s language', () => {
		const q = (n: number, y: string) => `Q${n} ${y}`;
		expect(windowLabel(windowRange('2014-03-04', 'month'), 'month', 'en', q)).toBe('March 2014');
		expect(windowLabel(windowRange('2014-08-04', 'quarter'), 'quarter', 'en', q)).toBe('Q3 2014');
		expect(windowLabel(windowRange('2014-08-04', 'year'), 'year', 'en', q)).toBe('2014');
		expect(windowLabel(windowRange('2014-03-04', 'month'), 'month', 'ar', q)).toMatch(/مارس|آذار/);
	});
});
