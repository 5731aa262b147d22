import { describe, expect, it } from 'vitest';
import {
	areaRates,
	classColour,
	NO_DATA_COLOUR,
	rateBreaks,
	rateClass,
	rateQuery
} from './area-rates.ts';
import { parseMapUrl } from './url-state.ts';

describe('incidents per 100,000 people', () => {
	it('divides the count by the population, and gives no rate where the population is unknown', () => {
		const r = areaRates(
			['A', 'B', 'C', 'D'],
			[
				{ pcode: 'A', n: 30 },
				{ pcode: 'C', n: 5 }
			],
			[
				{ pcode: 'A', population: 120_000 },
				{ pcode: 'B', population: 50_000 },
				{ pcode: 'D', population: 0 }
			]
		);
		expect(r.map((x) => x.rate)).toEqual([25, 0, null, null]);
		// C has incidents but no population: "no data", not a rate, and not zero.
		expect(r[2]).toEqual({ pcode: 'C', n: 5, population: null, rate: null });
	});

	it('class breaks cover every known rate; no data has its own colour', () => {
		const rates = [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, null];
		const b = rateBreaks(rates);
		expect(b.length).toBe(5);
		expect(b[b.length - 1]).toBeGreaterThanOrEqual(55);
		for (const r of rates) {
			const c = rateClass(r, b);
			if (r === null) expect(c).toBe(-1);
			else expect(r).toBeLessThanOrEqual(b[c]);
		}
		expect(classColour(-1, b.length)).toEqual(NO_DATA_COLOUR);
		expect(classColour(0, 5)).not.toEqual(NO_DATA_COLOUR);
		expect(rateBreaks([null, null])).toEqual([]);
		// A single known value: one class, drawn in the darkest colour.
		expect(rateBreaks([4.2])).toEqual([4.2]);
	});
});

describe('what the rate shading asks /api/v1/stats/areas for', () => {
	const q = (url: string) => rateQuery(parseMapUrl(new URLSearchParams(url)));
	it('is off without rate=', () => {
		expect(q('from=2014-01-01&lens=us')).toBeNull();
	});

	it('sends the incident layer’s whole filter: dates, types, area, place and further filters', () => {
		const actor = '0b0c0d0e-0000-4000-8000-000000000001';
		const geo = '1a2b3c4d-0000-4000-8000-000000000002';
		const r = q(
			`rate=2&z=7&c=43,36&from=2014-01-01&to=2014-12-31&type=battles&area=IQG15` +
				`&geometry_id=${geo}&within_km=5&precise=true&lens=us,serious&sub_type=Armed+clash` +
				`&actor=${actor}&status=verified&reliability=A,B&layers=incidents&sel=x`
		)!;
		expect(r.level).toBe(2);
		expect(r.none).toBe(false);
		const p = new URLSearchParams(r.filters);
		expect(Object.fromEntries(p)).toEqual({
			from: '2014-01-01',
			to: '2014-12-31',
			type: 'battles',
			area: 'IQG15',
			geometry_id: geo,
			within_km: '5',
			precise: 'true',
			lens: 'us,serious',
			sub_type: 'Armed clash',
			actor,
			status: 'verified',
			reliability: 'A,B'
		});
		// A circle, too; and nothing of the camera or the layers (they do not change the counts).
		const c = new URLSearchParams(q('rate=1&lat=36.8&lon=43&within_km=20&z=9')!.filters);
		expect(Object.fromEntries(c)).toEqual({ lat: '36.8', lon: '43', within_km: '20' });
	});

	it('is a new query whenever a filter changes, so the shading reloads', () => {
		const base = q('rate=1&from=2014-01-01')!.filters;
		for (const more of [
			'lens=us',
			'actor=0b0c0d0e-0000-4000-8000-000000000001',
			'status=verified'
		]) {
			expect(q(`rate=1&from=2014-01-01&${more}`)!.filters).not.toBe(base);
		}
		expect(q('rate=1&from=2014-01-01&z=9&c=43,36')!.filters).toBe(base);
	});

	it('with every event type unticked, counts nothing (type= alone would mean any type)', () => {
		expect(q('rate=1&type=')!.none).toBe(true);
	});
});
