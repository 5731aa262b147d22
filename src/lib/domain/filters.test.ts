import { describe, expect, it } from 'vitest';
import { FilterError, filterArgs, filtersToParams, parseIncidentFilters } from './filters.ts';

const p = (s: string) => parseIncidentFilters(new URLSearchParams(s));

describe('incident filters', () => {
	it('parses dates, types, area and bbox', () => {
		expect(
			p('from=2014-01-01&to=2014-12-31&type=battles,riots&area=IQG15&bbox=40,30,48,37')
		).toEqual({
			from: '2014-01-01',
			to: '2014-12-31',
			types: ['battles', 'riots'],
			areas: ['IQG15'],
			bbox: [40, 30, 48, 37]
		});
	});
	it('takes several areas, comma-separated or repeated, each once, in the order given', () => {
		expect(p('area=IQG08,IQG15Q08').areas).toEqual(['IQG08', 'IQG15Q08']);
		expect(p('area=IQG08&area=IQG15Q08,IQG08').areas).toEqual(['IQG08', 'IQG15Q08']);
		expect(p('area=%20IQG08%20,,').areas).toEqual(['IQG08']);
		expect(filterArgs(p('area=IQG08,IQG15')).p_area).toEqual(['IQG08', 'IQG15']);
		expect(filterArgs(p('area=')).p_area).toBeNull();
		expect(filtersToParams(p('area=IQG08&area=IQG15')).get('area')).toBe('IQG08,IQG15');
	});
	it('names the bad P-code among several, and refuses more than 50', () => {
		expect(() => p('area=IQG08,iqg15,IQG21')).toThrow('area: "iqg15" is not a P-code');
		const many = Array.from({ length: 51 }, (_, i) => `IQG${100 + i}`).join(',');
		expect(() => p(`area=${many}`)).toThrow('area: at most 50 areas');
		expect(p(`area=${many.split(',').slice(0, 50).join(',')}`).areas).toHaveLength(50);
	});
	it('names the parameter that is wrong', () => {
		const cases: [string, string][] = [
			['from=2014-13-01', 'from'],
			['to=yesterday', 'to'],
			['from=2015-01-01&to=2014-01-01', 'to'],
			['type=bombing', 'type'],
			['area=Mosul', 'area'],
			['bbox=1,2,3', 'bbox'],
			['bbox=48,30,40,37', 'bbox'],
			['bbox=-200,0,0,10', 'bbox']
		];
		for (const [q, param] of cases) {
			try {
				p(q);
				expect.unreachable(q);
			} catch (e) {
				expect(e, q).toBeInstanceOf(FilterError);
				expect((e as FilterError).parameter, q).toBe(param);
			}
		}
	});
	it('round-trips through URL parameters and maps to SQL arguments', () => {
		const f = p('from=2014-01-01&type=battles&bbox=40,30,48,37');
		expect(p(filtersToParams(f).toString())).toEqual(f);
		expect(filterArgs(f)).toEqual({
			p_from: '2014-01-01',
			p_to: null,
			p_types: ['battles'],
			p_area: null,
			p_west: 40,
			p_south: 30,
			p_east: 48,
			p_north: 37
		});
	});
});
