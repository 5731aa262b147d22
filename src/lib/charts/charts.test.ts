import { describe, expect, it } from 'vitest';
import { scaleUtc } from 'd3';
import type { IncidentStats } from '../domain/analysis-types.ts';
import { brushDates, OTHER, seriesTable, timeSeries, topKeys, utc } from './time-series.ts';
import { calendarLayout, monthLabelStride } from './calendar.ts';
import { csvCell, fileName, toCsv } from './csv.ts';
import { choropleth, d3Winding, ringArea } from './choropleth.ts';

const stats = (over: Partial<IncidentStats> = {}): IncidentStats => ({
	by: 'week',
	group: 'type',
	total: 9,
	fatalities: 12,
	first_date: '2014-06-04',
	last_date: '2014-06-25',
	groups: [
		{ key: 'battles', name_en: null, name_ar: null, n: 5, fatalities: 10 },
		{ key: 'riots', name_en: null, name_ar: null, n: 4, fatalities: 2 }
	],
	bins: [
		{ bin: '2014-06-02', key: 'battles', n: 3, fatalities: 6 },
		{ bin: '2014-06-02', key: 'riots', n: 1, fatalities: 0 },
		{ bin: '2014-06-23', key: 'battles', n: 2, fatalities: 4 },
		{ bin: '2014-06-23', key: 'riots', n: 3, fatalities: 2 }
	],
	...over
});

describe('time series', () => {
	it('fills empty weeks with zeros and stacks the groups', () => {
		const s = timeSeries(stats())!;
		expect(s.rows.map((r) => [r.bin, r.total])).toEqual([
			['2014-06-02', 4],
			['2014-06-09', 0],
			['2014-06-16', 0],
			['2014-06-23', 5]
		]);
		expect(s.keys).toEqual(['battles', 'riots']);
		expect(s.bars.filter((b) => b.bin === '2014-06-23')).toEqual([
			{ key: 'battles', bin: '2014-06-23', next: '2014-06-30', y0: 0, y1: 2, value: 2 },
			{ key: 'riots', bin: '2014-06-23', next: '2014-06-30', y0: 2, y1: 5, value: 3 }
		]);
		expect(s.maxTotal).toBe(5);
		expect(s.domain).toEqual(['2014-06-02', '2014-06-30']);
	});
	it('draws the whole filtered range, not only the weeks with incidents', () => {
		const s = timeSeries(stats(), { from: '2014-05-20', to: '2014-07-01' })!;
		expect(s.rows[0].bin).toBe('2014-05-19');
		expect(s.rows.at(-1)!.bin).toBe('2014-06-30');
	});
	it('can chart fatalities instead of incidents', () => {
		const s = timeSeries(stats(), { metric: 'fatalities' })!;
		expect(s.rows.map((r) => r.total)).toEqual([6, 0, 0, 6]);
	});
	it('tells a fatality count not known from 0: read out and exported as empty, drawn as none', () => {
		// week of 2014-06-02: battles all unknown (null), riots known to be 0; 2014-06-23: nothing known
		const s = timeSeries(
			stats({
				bins: [
					{ bin: '2014-06-02', key: 'battles', n: 3, fatalities: null },
					{ bin: '2014-06-02', key: 'riots', n: 1, fatalities: 0 },
					{ bin: '2014-06-23', key: 'battles', n: 2, fatalities: null },
					{ bin: '2014-06-23', key: 'riots', n: 3, fatalities: null }
				]
			}),
			{ metric: 'fatalities' }
		)!;
		expect(s.rows.map((r) => [r.bin, r.total, r.unknown, r.totalUnknown])).toEqual([
			['2014-06-02', 0, ['battles'], false],
			['2014-06-09', 0, [], false],
			['2014-06-16', 0, [], false],
			['2014-06-23', 0, ['battles', 'riots'], true]
		]);
		expect(s.bars).toEqual([]);
		expect(seriesTable(s, (k) => k).rows).toEqual([
			['2014-06-02', null, 0, 0],
			['2014-06-09', 0, 0, 0],
			['2014-06-16', 0, 0, 0],
			['2014-06-23', null, null, null]
		]);
		// the incident counts are always known
		expect(timeSeries(stats())!.rows.every((r) => !r.unknown.length && !r.totalUnknown)).toBe(true);
	});
	it('merges small groups into "other"', () => {
		const many = stats({
			groups: ['a', 'b', 'c'].map((key, i) => ({
				key,
				name_en: null,
				name_ar: null,
				n: 10 - i,
				fatalities: 0
			})),
			bins: ['a', 'b', 'c'].map((key, i) => ({ bin: '2014-06-02', key, n: 10 - i, fatalities: 0 }))
		});
		expect(topKeys(many, 'n', 2)).toEqual(['a', OTHER]);
		const s = timeSeries(many, { maxKeys: 2 })!;
		expect(s.rows[0].values).toEqual({ a: 10, [OTHER]: 17 });
	});
	it('has nothing to draw without incidents', () => {
		expect(
			timeSeries(stats({ total: 0, bins: [], groups: [], first_date: null, last_date: null }))
		).toBeNull();
	});
	it('turns a brush into whole bins, from a Monday to a Sunday', () => {
		const s = timeSeries(stats())!;
		const x = scaleUtc().domain(s.domain.map(utc)).range([0, 280]); // 4 weeks, 70 px each
		expect(brushDates(s, x, 75, 150)).toEqual({ from: '2014-06-09', to: '2014-06-22' });
		expect(brushDates(s, x, 150, 75)).toEqual({ from: '2014-06-09', to: '2014-06-22' });
		expect(brushDates(s, x, 0, 280)).toEqual({ from: '2014-06-02', to: '2014-06-29' });
	});
	it('tabulates the series for CSV', () => {
		const t = seriesTable(timeSeries(stats())!, (k) => k.toUpperCase());
		expect(t.header).toEqual(['bin_start', 'BATTLES', 'RIOTS', 'total']);
		expect(t.rows[0]).toEqual(['2014-06-02', 3, 1, 4]);
	});
});

describe('calendar layout', () => {
	it('puts each day in its week column and weekday row, newest years first', () => {
		const l = calendarLayout(
			[
				['2018-01-01', 3, 1],
				['2018-12-31', 1, 0]
			],
			'2017-01-01',
			'2018-12-31'
		);
		expect(l.years).toEqual([2018, 2017]);
		const jan1 = l.cells.find((c) => c.date === '2018-01-01')!;
		expect(jan1).toMatchObject({ col: 0, row: 0, n: 3 }); // a Monday
		const dec31 = l.cells.find((c) => c.date === '2018-12-31')!;
		expect(dec31).toMatchObject({ col: 52, row: 0, n: 1 });
		expect(l.cells.find((c) => c.date === '2017-01-01')).toMatchObject({ col: 0, row: 6 }); // a Sunday
		expect(l.max).toBe(3);
		expect(l.cells).toHaveLength(730);
	});
	it('shows only the most recent years and says which were left out', () => {
		const l = calendarLayout([], '2010-03-01', '2018-12-31', 3);
		expect(l.years).toEqual([2018, 2017, 2016]);
		expect(l.hiddenYears).toEqual([2015, 2014, 2013, 2012, 2011, 2010]);
		expect(l.cells[0].date).toBe('2016-01-01');
	});
	it('labels fewer months when the longest name does not fit a month of weeks', () => {
		const en = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
		const ar = [
			'يناير',
			'فبراير',
			'مارس',
			'أبريل',
			'مايو',
			'يونيو',
			'يوليو',
			'أغسطس',
			'سبتمبر',
			'أكتوبر',
			'نوفمبر',
			'ديسمبر'
		];
		expect(monthLabelStride(en, 13)).toBe(1); // desktop
		expect(monthLabelStride(en, 6)).toBe(1); // 390 px
		expect(monthLabelStride(ar, 13)).toBe(1);
		expect(monthLabelStride(ar, 6)).toBe(2);
		expect(monthLabelStride(ar, 5)).toBe(2);
		expect(monthLabelStride(['a long month name'], 5)).toBe(6);
		expect(monthLabelStride(['a very long month name indeed'], 5)).toBe(12);
	});
});

describe('csv', () => {
	it('quotes what needs quoting and defuses formulas', () => {
		expect(csvCell('Mosul, Ninewa')).toBe('"Mosul, Ninewa"');
		expect(csvCell('say "hi"')).toBe('"say ""hi"""');
		expect(csvCell('=cmd()')).toBe("'=cmd()");
		expect(csvCell(-3)).toBe('-3');
		expect(csvCell(null)).toBe('');
		expect(toCsv(['a', 'b'], [[1, 'نينوى']])).toBe('\uFEFFa,b\r\n1,نينوى\r\n');
	});
	it('names files after the chart and its dates', () => {
		expect(fileName('Incidents over time', '2014-01-01', '2014-12-31')).toBe(
			'incidents-over-time_2014-01-01_2014-12-31'
		);
		expect(fileName('الحوادث حسب المحافظة')).toBe('الحوادث-حسب-المحافظة');
	});
});

describe('choropleth', () => {
	const box = (pcode: string, [w, s, e, n]: number[], ccw = true) => ({
		type: 'Feature' as const,
		properties: { pcode },
		geometry: {
			type: 'Polygon' as const,
			coordinates: [
				ccw
					? [
							[w, s],
							[e, s],
							[e, n],
							[w, n],
							[w, s]
						]
					: [
							[w, s],
							[w, n],
							[e, n],
							[e, s],
							[w, s]
						]
			]
		}
	});
	it('winds exterior rings clockwise for d3, whatever PostGIS sent', () => {
		const ccw = box('A', [0, 0, 1, 1]).geometry;
		expect(ringArea(ccw.coordinates[0])).toBeGreaterThan(0);
		expect(ringArea(d3Winding(ccw).coordinates[0])).toBeLessThan(0);
		const cw = box('A', [0, 0, 1, 1], false).geometry;
		expect(d3Winding(cw).coordinates[0]).toEqual(cw.coordinates[0]);
	});
	it('projects the areas with values into the box, darker for more', () => {
		const fc = {
			type: 'FeatureCollection' as const,
			features: [
				box('A', [40, 33, 42, 35]),
				box('B', [42, 33, 44, 35], false),
				box('C', [44, 33, 45, 34])
			]
		};
		const c = choropleth(
			fc,
			new Map([
				['A', 10],
				['B', 0]
			]),
			{ width: 200, height: 100 }
		)!;
		expect(c.shapes.map((s) => s.pcode)).toEqual(['A', 'B']); // C has no value: not drawn
		for (const s of c.shapes) {
			const nums = s.d.match(/-?\d+(\.\d+)?/g)!.map(Number);
			expect(Math.min(...nums)).toBeGreaterThanOrEqual(0);
			expect(Math.max(...nums)).toBeLessThanOrEqual(200);
			expect(s.cx).toBeGreaterThan(0);
		}
		expect(c.shapes[1].fill).toBe('#f1f3f2');
		expect(c.max).toBe(10);
		expect(choropleth(fc, new Map(), { width: 200, height: 100 })).toBeNull();
	});
});
