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
			area: 'IQG15',
			bbox: [40, 30, 48, 37]
		});
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
