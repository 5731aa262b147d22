import { describe, expect, it } from 'vitest';
import {
	bboxContains,
	campRadius,
	classOf,
	classRanges,
	densityCell,
	expandBbox,
	inBbox,
	incidentRadius,
	quantileBreaks,
	roundBboxOut
} from './scales.ts';

describe('map scales', () => {
	it('sizes incidents by the square root of fatalities, within bounds', () => {
		expect(incidentRadius(0)).toBe(2.5);
		expect(incidentRadius(4) - 2.5).toBeCloseTo(2 * (incidentRadius(1) - 2.5));
		expect(incidentRadius(1e6)).toBe(22);
		expect(campRadius(null)).toBe(5);
		expect(campRadius(1e9)).toBe(40);
	});

	it('picks a power-of-two density cell that shrinks as the map zooms in', () => {
		const cells = [4, 6, 8, 10, 12].map(densityCell);
		for (const c of cells) expect(Number.isInteger(Math.log2(c))).toBe(true);
		for (let i = 1; i < cells.length; i++) expect(cells[i]).toBeLessThan(cells[i - 1]);
		// ~10 screen pixels at zoom 6 (512-pixel tiles).
		expect(densityCell(6) / (360 / (512 * 64))).toBeGreaterThan(5);
		expect(densityCell(6) / (360 / (512 * 64))).toBeLessThan(20);
	});

	it('expands, rounds outwards and tests containment like PostGIS &&', () => {
		const b = expandBbox([40, 30, 50, 40], 0.1);
		expect(b).toEqual([39, 29, 51, 41]);
		expect(expandBbox([-179, -84, 179, 84], 0.5)).toEqual([-180, -85, 180, 85]);
		const r = roundBboxOut([40.12345, 30.98761, 41.00001, 31.5], 3);
		expect(r).toEqual([40.123, 30.987, 41.001, 31.5]);
		expect(bboxContains(r, [40.12345, 30.98761, 41.00001, 31.5])).toBe(true);
		expect(inBbox([40, 30, 41, 31], 41, 31)).toBe(true);
		expect(inBbox([40, 30, 41, 31], 41.0001, 31)).toBe(false);
	});
});

describe('density classes', () => {
	it('splits skewed counts into quantile classes that each get used', () => {
		const counts = [1, 1, 1, 1, 2, 2, 3, 5, 8, 40, 300, 2000];
		const breaks = quantileBreaks(counts, 6);
		expect(breaks).toEqual([1, 2, 3, 8, 300]);
		const used = new Set(counts.map((c) => classOf(c, breaks)));
		expect(used.size).toBe(breaks.length + 1);
		expect(classRanges(breaks, 2000)).toEqual([
			[1, 1],
			[2, 2],
			[3, 3],
			[4, 8],
			[9, 300],
			[301, 2000]
		]);
	});
	it('copes with no cells and with one value', () => {
		expect(quantileBreaks([], 6)).toEqual([]);
		expect(quantileBreaks([4, 4, 4], 6)).toEqual([]);
		expect(classRanges([], 4)).toEqual([[1, 4]]);
	});
});
