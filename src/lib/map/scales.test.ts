import { describe, expect, it } from 'vitest';
import {
	bboxContains,
	campRadius,
	classOf,
	classRanges,
	densityCell,
	densityCellSquare,
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

	it('picks a Web Mercator density grid that gets finer as the map zooms in', () => {
		const cells = [4, 6, 8, 10, 12].map(densityCell);
		// 360 / 2^k degrees wide: the grid of 2^k cells a side
		for (const c of cells) expect(Number.isInteger(Math.log2(360 / c))).toBe(true);
		for (let i = 1; i < cells.length; i++) expect(cells[i]).toBeLessThan(cells[i - 1]);
		// ~10 screen pixels at zoom 6 (512-pixel tiles).
		expect(densityCell(6) / (360 / (512 * 64))).toBeGreaterThan(5);
		expect(densityCell(6) / (360 / (512 * 64))).toBeLessThan(20);
		// within what the API accepts (0.001–5°)
		expect(densityCell(0)).toBeLessThanOrEqual(5);
		expect(densityCell(22)).toBeGreaterThanOrEqual(0.001);
	});

	it("draws a density cell on the grid's own lines, square on the map", () => {
		// The cell (x, y) of the grid of 2^12 cells a side over Baghdad, as incidents_density gives
		// it: at its centre. Its polygon runs along the grid's lines.
		const k = 12;
		const n = 2 ** k;
		const edgeLat = (y: number) =>
			(Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
		const [x, y] = [2552, 1631];
		const centre: [number, number] = [((x + 0.5) / n) * 360 - 180, edgeLat(y + 0.5)];
		const sq = densityCellSquare(centre[0], centre[1], 360 / n);
		expect(sq[0][0]).toBeCloseTo((x / n) * 360 - 180, 9);
		expect(sq[1][0]).toBeCloseTo(((x + 1) / n) * 360 - 180, 9);
		expect(sq[0][1]).toBeCloseTo(edgeLat(y + 1), 9);
		expect(sq[2][1]).toBeCloseTo(edgeLat(y), 9);
		// fewer degrees tall than wide at 34° N (cos 34° ≈ 0.83), as a square on the map is
		const tall = (sq[2][1] - sq[0][1]) / (sq[1][0] - sq[0][0]);
		expect(tall).toBeCloseTo(Math.cos((centre[1] * Math.PI) / 180), 3);
		// scaled about its centre
		const small = densityCellSquare(centre[0], centre[1], 360 / n, 0.5);
		expect(small[1][0] - small[0][0]).toBeCloseTo(180 / n, 12);
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
