import { describe, expect, it } from 'vitest';
import { attributionText, exportFileName, filterWords, metresPerPixel, scaleBar } from './compose';

const w = {
	period: (a: string, b: string) => `${a} – ${b}`,
	since: (a: string) => `since ${a}`,
	until: (b: string) => `until ${b}`,
	allDates: 'all dates',
	allTypes: 'all types',
	type: (t: string) => t.toUpperCase(),
	area: (n: string) => `in ${n}`,
	date: (d: string) => d
};

describe('map export', () => {
	it('measures the ground: about 156 km per pixel at zoom 0 on the equator', () => {
		expect(metresPerPixel(0, 0)).toBeCloseTo(78_271.5, 0);
		// Mosul (36.3° N) at zoom 8: the equator's figure × cos(lat)
		expect(metresPerPixel(36.34, 8)).toBeCloseTo(
			(78_271.5 * Math.cos((36.34 * Math.PI) / 180)) / 256,
			1
		);
	});

	it('rounds the scale bar to 1, 2 or 5 × 10ⁿ and never makes it longer than asked', () => {
		expect(scaleBar(100, 120)).toEqual({ metres: 10_000, px: 100, label: '10 km' });
		expect(scaleBar(100, 260)).toEqual({ metres: 20_000, px: 200, label: '20 km' });
		expect(scaleBar(1, 120)).toEqual({ metres: 100, px: 100, label: '100 m' });
		expect(scaleBar(3, 120).label).toBe('200 m');
		for (const mpp of [0.7, 13, 250, 4000]) expect(scaleBar(mpp, 150).px).toBeLessThanOrEqual(150);
	});

	it('says the filters in words', () => {
		expect(
			filterWords({ from: '2016-10-01', to: '2016-10-31', types: null, area: null }, null, w)
		).toBe('2016-10-01 – 2016-10-31 · all types');
		expect(
			filterWords({ from: null, to: null, types: ['battles', 'riots'], area: 'IQG15' }, 'Ninewa', w)
		).toBe('all dates · BATTLES, RIOTS · in Ninewa');
		expect(filterWords({ from: '2016-10-01', to: null, types: [], area: 'IQG15' }, null, w)).toBe(
			'since 2016-10-01 ·  · in IQG15'
		);
	});

	it('lists each source’s attribution once, as text', () => {
		expect(
			attributionText({
				a: { attribution: '<a href="x">Natural Earth</a>' },
				b: { attribution: 'Natural Earth' },
				c: {},
				d: { attribution: 'OCHA COD-AB' }
			})
		).toBe('Natural Earth · OCHA COD-AB');
	});

	it('names the file by the time of export', () => {
		expect(exportFileName(new Date('2026-12-05T14:07:00Z'), 'png')).toBe(
			'terrain-map-2026-12-05-1407.png'
		);
	});
});
