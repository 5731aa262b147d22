import { describe, expect, it } from 'vitest';
import { FilterError } from '../../domain/filters.ts';
import {
	checkLevelInput,
	latestToday,
	parseBaselineQuery,
	parseLevelInput,
	parseProximity,
	parseStatsQuery
} from './params.ts';

const param = (fn: () => unknown) => {
	try {
		fn();
	} catch (e) {
		if (e instanceof FilterError) return e.parameter;
		throw e;
	}
	return null;
};
const q = (s: string) => new URLSearchParams(s);

describe('analysis parameters', () => {
	it('reads the stats query with the map filters and defaults', () => {
		expect(parseStatsQuery(q('from=2014-01-01&type=battles,riots&area=IQG15'))).toEqual({
			filters: { from: '2014-01-01', types: ['battles', 'riots'], areas: ['IQG15'] },
			by: 'month',
			group: 'type'
		});
		expect(parseStatsQuery(q('by=week&group=area2')).by).toBe('week');
		expect(param(() => parseStatsQuery(q('by=quarter')))).toBe('by');
		expect(param(() => parseStatsQuery(q('group=actor')))).toBe('group');
		expect(param(() => parseStatsQuery(q('from=2014-02-30')))).toBe('from');
	});

	it('reads the baseline query', () => {
		expect(parseBaselineQuery(q('as_of=2018-12-25&level=2&parent=IQG15'))).toEqual({
			asOf: '2018-12-25',
			types: undefined,
			level: 2,
			parent: 'IQG15'
		});
		expect(param(() => parseBaselineQuery(q('as_of=25/12/2018')))).toBe('as_of');
		expect(param(() => parseBaselineQuery(q('level=4')))).toBe('level');
		expect(param(() => parseBaselineQuery(q('parent=ninewa')))).toBe('parent');
	});

	it('reads proximity from a query string or a JSON body', () => {
		expect(parseProximity(q('km=2.5&site_kind=idp_camps'))).toMatchObject({
			km: 2.5,
			days: 30,
			siteKind: 'idp_camps',
			limit: 500
		});
		const body = {
			km: 5,
			days: 7,
			geometry: { type: 'Point', coordinates: [44, 33] },
			type: 'battles'
		};
		expect(parseProximity(body)).toMatchObject({
			km: 5,
			days: 7,
			geometry: body.geometry,
			types: ['battles']
		});
		expect(param(() => parseProximity(q('site_kind=org_sites')))).toBe('km');
		expect(param(() => parseProximity(q('km=0&site_kind=org_sites')))).toBe('km');
		expect(param(() => parseProximity(q('km=201&site_kind=org_sites')))).toBe('km');
		expect(param(() => parseProximity(q('km=1')))).toBe('site_kind');
		expect(
			param(() => parseProximity(q('km=1&site_id=00000000-0000-0000-0000-000000000001')))
		).toBe('site_kind');
		expect(param(() => parseProximity(q('km=1&site_kind=org_sites&site_id=7')))).toBe('site_id');
		expect(param(() => parseProximity(q('km=1&geometry=[1,2]')))).toBe('geometry');
		expect(
			param(() =>
				parseProximity({
					km: 1,
					site_kind: 'org_sites',
					geometry: { type: 'Point', coordinates: [1, 2] }
				})
			)
		).toBe('geometry');
		expect(param(() => parseProximity(q('km=1&site_kind=org_sites&days=1.5')))).toBe('days');
	});

	it('reads a new security level and names the field that is wrong', () => {
		const now = new Date('2026-11-22T22:30:00Z'); // already the 23rd east of UTC+1:30
		expect(parseLevelInput({ level: 3, note: ' Road closed. ' }, now)).toEqual({
			level: 3,
			note: 'Road closed.',
			effectiveDate: '2026-11-22'
		});
		const form = new FormData();
		form.set('level', '2');
		form.set('note', 'Calm');
		form.set('effective_date', '2026-11-23'); // today in Baghdad (UTC+3) — not the future
		expect(parseLevelInput(form, now)).toEqual({
			level: 2,
			note: 'Calm',
			effectiveDate: '2026-11-23'
		});
		expect(param(() => parseLevelInput({ level: 0, note: 'x' }, now))).toBe('level');
		expect(param(() => parseLevelInput({ level: 6, note: 'x' }, now))).toBe('level');
		expect(param(() => parseLevelInput({ level: '2.5', note: 'x' }, now))).toBe('level');
		expect(param(() => parseLevelInput({ note: 'x' }, now))).toBe('level');
		expect(param(() => parseLevelInput({ level: 2, note: '   ' }, now))).toBe('note');
		expect(param(() => parseLevelInput({ level: 2, note: 'x'.repeat(2001) }, now))).toBe('note');
		expect(
			param(() => parseLevelInput({ level: 2, note: 'x', effective_date: '2026-11-24' }, now))
		).toBe('effective_date');
		expect(
			param(() => parseLevelInput({ level: 2, note: 'x', effective_date: '2026-02-30' }, now))
		).toBe('effective_date');
		expect(latestToday(now)).toBe('2026-11-23');
		// a form gets every field error at once
		const all = checkLevelInput({ level: '', note: '', effective_date: '2027-01-01' }, now);
		expect(all.errors).toEqual({
			level: 'must be a whole number from 1 to 5',
			note: 'must not be empty',
			effective_date: 'must not be in the future'
		});
		expect(all.codes).toEqual({
			level: 'level_range',
			note: 'note_empty',
			effective_date: 'date_future'
		});
		expect(all.value).toBeUndefined();
	});
});
