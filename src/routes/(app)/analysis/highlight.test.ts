import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '$lib/domain/taxonomy';
import { OTHER } from '$lib/charts/time-series';
import { binRange, highlightParams, targetKey, type ChartBasis } from './highlight.ts';

const basis = (o: Partial<ChartBasis> = {}): ChartBasis => ({
	filters: {},
	by: 'month',
	group: 'type',
	keys: [],
	...o
});
const params = (...a: Parameters<typeof highlightParams>) => {
	const q = highlightParams(...a);
	return q ? Object.fromEntries(q) : null;
};

describe('a hovered time bin as filters', () => {
	it('covers whole months, February of a leap year and December into the next year included', () => {
		expect(binRange('2016-02-01', 'month', {})).toEqual({ from: '2016-02-01', to: '2016-02-29' });
		expect(binRange('2015-02-01', 'month', {})).toEqual({ from: '2015-02-01', to: '2015-02-28' });
		expect(binRange('2014-12-01', 'month', {})).toEqual({ from: '2014-12-01', to: '2014-12-31' });
	});

	it('covers ISO weeks Monday to Sunday, across a year end', () => {
		// 2018-12-31 is a Monday; its ISO week is 2019-W01 and ends on Sunday 6 January.
		expect(binRange('2018-12-31', 'week', {})).toEqual({ from: '2018-12-31', to: '2019-01-06' });
		// 2016-02-29 (leap day) is a Monday
		expect(binRange('2016-02-29', 'week', {})).toEqual({ from: '2016-02-29', to: '2016-03-06' });
		expect(binRange('2017-05-09', 'day', {})).toEqual({ from: '2017-05-09', to: '2017-05-09' });
	});

	it('is cut to the filter dates, as the bar counts only those', () => {
		expect(binRange('2014-01-01', 'month', { from: '2014-01-15', to: '2014-12-31' })).toEqual({
			from: '2014-01-15',
			to: '2014-01-31'
		});
		expect(binRange('2014-12-29', 'week', { from: '2014-01-01', to: '2014-12-31' })).toEqual({
			from: '2014-12-29',
			to: '2014-12-31'
		});
		expect(binRange('2015-01-01', 'month', { to: '2014-12-31' })).toBeNull();
	});

	it('keeps the page filters and adds the bin dates', () => {
		expect(
			params(
				{ kind: 'bin', bin: '2014-06-01', key: null },
				basis({
					filters: { from: '2014-01-01', to: '2015-12-31', areas: ['IQG15'], types: ['battles'] }
				})
			)
		).toEqual({
			from: '2014-06-01',
			to: '2014-06-30',
			type: 'battles',
			area: 'IQG15'
		});
	});
});

describe('a hovered stacked segment as filters', () => {
	it('narrows to its event type', () => {
		expect(
			params(
				{ kind: 'bin', bin: '2014-06-01', key: 'riots' },
				basis({ keys: ['battles', 'riots'] })
			)
		).toEqual({
			from: '2014-06-01',
			to: '2014-06-30',
			type: 'riots'
		});
	});

	it('turns the "other" group of types into the types not drawn on their own, within the filter', () => {
		const keys = [EVENT_TYPES[0], EVENT_TYPES[1], OTHER];
		expect(params({ kind: 'bin', bin: '2014-06-01', key: OTHER }, basis({ keys }))!.type).toBe(
			EVENT_TYPES.slice(2).join(',')
		);
		const only = [EVENT_TYPES[0], EVENT_TYPES[2], EVENT_TYPES[3]];
		expect(
			params(
				{ kind: 'bin', bin: '2014-06-01', key: OTHER },
				basis({ keys, filters: { types: only } })
			)!.type
		).toBe([EVENT_TYPES[2], EVENT_TYPES[3]].join(','));
		// every filtered type has its own segment: "other" cannot match anything
		expect(
			highlightParams(
				{ kind: 'bin', bin: '2014-06-01', key: OTHER },
				basis({ keys, filters: { types: [EVENT_TYPES[0]] } })
			)
		).toBeNull();
	});

	it('narrows to a governorate or district group, keeping the area filter', () => {
		expect(
			params(
				{ kind: 'bin', bin: '2014-06-01', key: 'IQG15' },
				basis({ group: 'area1', keys: ['IQG15', 'IQG21'] })
			)
		).toEqual({
			from: '2014-06-01',
			to: '2014-06-30',
			admin_level: '1',
			admin_in: 'IQG15'
		});
		expect(
			params(
				{ kind: 'bin', bin: '2014-06-01', key: 'IQG15Q05' },
				basis({ group: 'area2', filters: { areas: ['IQG15'] } })
			)
		).toMatchObject({
			admin_level: '2',
			admin_in: 'IQG15Q05',
			area: 'IQG15'
		});
	});

	it('asks for the incidents placed in no area for the "no area" group', () => {
		expect(
			params(
				{ kind: 'bin', bin: '2014-06-01', key: 'none' },
				basis({ group: 'area1', keys: ['IQG15', 'none'] })
			)
		).toMatchObject({
			admin_level: '1',
			admin_in: 'none'
		});
	});

	it('turns the "other" group of areas into every area but the drawn ones ("no area" among them when drawn)', () => {
		const q = params(
			{ kind: 'bin', bin: '2014-06-01', key: OTHER },
			basis({ group: 'area2', keys: ['IQG15Q05', 'none', 'IQG21Q01', OTHER] })
		);
		expect(q).toMatchObject({ admin_level: '2', admin_out: 'IQG15Q05,none,IQG21Q01' });
		expect(q).not.toHaveProperty('admin_in');
	});

	it('ignores the key when the chart is not stacked', () => {
		expect(
			params(
				{ kind: 'bin', bin: '2014-06-01', key: 'all' },
				basis({ group: 'none', keys: ['all'] })
			)
		).toEqual({ from: '2014-06-01', to: '2014-06-30' });
	});
});

describe('other hovered elements as filters', () => {
	const f = { from: '2014-01-01', to: '2014-12-31', types: ['battles'] };
	it('a day is one date, and nothing outside the filter dates', () => {
		expect(params({ kind: 'day', date: '2014-03-04' }, basis({ filters: f }))).toEqual({
			from: '2014-03-04',
			to: '2014-03-04',
			type: 'battles'
		});
		expect(highlightParams({ kind: 'day', date: '2015-03-04' }, basis({ filters: f }))).toBeNull();
	});
	it('an area bar, an hour, a weekday and an actor add their own parameter', () => {
		expect(
			params(
				{ kind: 'area', pcode: 'IQG15Q05', level: 2 },
				basis({ filters: { ...f, areas: ['IQG15'] } })
			)
		).toEqual({
			...{ from: '2014-01-01', to: '2014-12-31', type: 'battles', area: 'IQG15' },
			admin_level: '2',
			admin_in: 'IQG15Q05'
		});
		expect(params({ kind: 'hour', hour: 0 }, basis({ filters: f }))).toMatchObject({
			hour: '0',
			from: '2014-01-01'
		});
		expect(params({ kind: 'dow', dow: 7 }, basis())).toEqual({ dow: '7' });
		expect(params({ kind: 'actor', id: 'abc' }, basis())).toEqual({ actor: 'abc' });
	});
	it('names each target apart for the cache', () => {
		const keys = [
			targetKey({ kind: 'bin', bin: '2014-06-01', key: null }),
			targetKey({ kind: 'bin', bin: '2014-06-01', key: 'battles' }),
			targetKey({ kind: 'area', pcode: 'IQG15', level: 1 }),
			targetKey({ kind: 'day', date: '2014-06-01' }),
			targetKey({ kind: 'hour', hour: 1 }),
			targetKey({ kind: 'dow', dow: 1 }),
			targetKey({ kind: 'actor', id: '1' })
		];
		expect(new Set(keys).size).toBe(keys.length);
	});
});
