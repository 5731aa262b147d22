import { describe, expect, it } from 'vitest';
import { addDays, baselineWindows, classify, computeBaseline, MIN_COUNT } from './baseline.ts';

describe('baseline windows', () => {
	it('ends every window on the as-of day and puts 52 weeks before the 4-week window', () => {
		expect(baselineWindows('2018-12-31')).toEqual({
			asOf: '2018-12-31',
			week: { from: '2018-12-25', to: '2018-12-31' },
			fourWeeks: { from: '2018-12-04', to: '2018-12-31' },
			baseline: { from: '2017-12-05', to: '2018-12-03' }
		});
	});
	it('spans a leap day correctly', () => {
		const w = baselineWindows('2016-03-01');
		expect(w.week.from).toBe('2016-02-24');
		expect(w.fourWeeks.from).toBe('2016-02-03');
		expect(w.baseline.to).toBe('2016-02-02');
		expect(w.baseline.from).toBe('2015-02-04');
	});
	it('counts each day in exactly the window it belongs to (the boundaries)', () => {
		const asOf = '2014-06-15';
		const at = (days: number) => addDays(asOf, -days);
		const r = computeBaseline(
			[
				asOf, // week, 4 weeks
				at(6), // last day of the week window
				at(7), // first day outside it: 4 weeks only
				at(27), // last day of the 4-week window
				at(28), // first baseline day (the newest)
				at(391), // last baseline day (the oldest)
				at(392), // too old
				addDays(asOf, 1) // after the as-of date: ignored
			],
			asOf
		);
		expect(r.week.observed).toBe(2);
		expect(r.fourWeeks.observed).toBe(4);
		expect(r.baselineCount).toBe(2);
		expect(r.windows.baseline).toEqual({ from: at(391), to: at(28) });
	});
	it('refuses a date that is not a calendar date', () => {
		expect(() => baselineWindows('2018-02-30')).toThrow(/calendar/);
		expect(() => baselineWindows('30/01/2018')).toThrow(/YYYY-MM-DD/);
	});
});

describe('classify', () => {
	it('calls +25 % and more rising, −25 % and more falling, at the band edges exactly', () => {
		// baseline 520 a year → 10 a week expected
		expect(classify(13, 520, 1)).toMatchObject({
			expected: 10,
			trend: 'rising',
			changePct: 30,
			lowCount: false
		});
		expect(classify(12, 520, 1).trend).toBe('stable'); // +20 %
		expect(classify(8, 520, 1).trend).toBe('stable'); // −20 %
		expect(classify(7, 520, 1)).toMatchObject({ trend: 'falling', changePct: -30 });
		// exactly +25 % and −25 %: 4 weeks, baseline 208 → 16 expected; 20 = +25 %, 12 = −25 %
		expect(classify(20, 208, 4)).toMatchObject({ expected: 16, trend: 'rising', changePct: 25 });
		expect(classify(19, 208, 4).trend).toBe('stable');
		expect(classify(12, 208, 4)).toMatchObject({ trend: 'falling', changePct: -25 });
		expect(classify(13, 208, 4).trend).toBe('stable');
	});
	it('does not call 1 → 2 a +100 % rise (the low-count guard)', () => {
		const r = classify(2, 52, 1); // expected 1 a week
		expect(r).toMatchObject({ expected: 1, changePct: 100, trend: 'stable', lowCount: true });
	});
	it('calls a change once observed or expected reaches the minimum', () => {
		expect(MIN_COUNT).toBe(5);
		expect(classify(5, 52, 1)).toMatchObject({ trend: 'rising', lowCount: false }); // 1 → 5
		expect(classify(4, 52, 1)).toMatchObject({ trend: 'stable', lowCount: true }); // 1 → 4
		expect(classify(0, 260, 1)).toMatchObject({ expected: 5, trend: 'falling', lowCount: false }); // 5 → 0
		expect(classify(0, 259, 1)).toMatchObject({ trend: 'stable', lowCount: true }); // 4.98 → 0
		expect(classify(0, 65, 4)).toMatchObject({ expected: 5, trend: 'falling' });
	});
	it('has no percentage against an empty baseline, and calls a burst from nothing rising', () => {
		expect(classify(0, 0, 1)).toMatchObject({ changePct: null, trend: 'stable', lowCount: true });
		expect(classify(6, 0, 4)).toMatchObject({ changePct: null, trend: 'rising', lowCount: false });
	});
	it('rounds the percentage half away from zero to one decimal', () => {
		// expected 16 (4 weeks, baseline 208): 17 → +6.25 % → 6.3; 15 → −6.25 % → −6.3
		expect(classify(17, 208, 4).changePct).toBe(6.3);
		expect(classify(15, 208, 4).changePct).toBe(-6.3);
	});
	it('refuses impossible inputs', () => {
		expect(() => classify(-1, 10, 1)).toThrow();
		expect(() => classify(1.5, 10, 1)).toThrow();
		expect(() => classify(1, 10, 0)).toThrow();
	});
});
