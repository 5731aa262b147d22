import { describe, expect, it } from 'vitest';
import { legend, newestDate, parsePointStyle, pointColour } from './point-style.ts';
import { EVENT_TYPE_COLOURS } from '../domain/taxonomy.ts';
import type { IncidentPoint } from './types.ts';

const pt = (over: Partial<Record<number, unknown>> = {}): IncidentPoint => {
	const p: unknown[] = ['id', 44, 33, 'battles', 0, false, '2018-06-30'];
	for (const [k, v] of Object.entries(over)) p[Number(k)] = v;
	return p as IncidentPoint;
};

describe('point styles', () => {
	it('reads the URL forgivingly', () => {
		expect(parsePointStyle('recency')).toBe('recency');
		expect(parsePointStyle('nonsense')).toBe('type');
		expect(parsePointStyle(null)).toBe('type');
	});
	it('colours by type, seriousness, recency and fatalities as the legend says', () => {
		expect(pointColour('type', pt(), null)).toEqual(EVENT_TYPE_COLOURS.battles);
		const serious = legend('serious');
		expect(pointColour('serious', pt({ 5: true }), null)).toEqual(serious[0][2]);
		expect(pointColour('serious', pt({ 5: false }), null)).toEqual(serious[1][2]);
		const points = [pt({ 6: '2018-01-01' }), pt({ 6: '2018-06-30' }), pt({ 6: '2010-01-01' })];
		const newest = newestDate(points);
		expect(newest).toBe('2018-06-30');
		const rec = legend('recency');
		expect(pointColour('recency', points[1], newest)).toEqual(rec[0][2]); // same day
		expect(pointColour('recency', points[0], newest)).toEqual(rec[2][2]); // 180 days: ≤ 365
		expect(pointColour('recency', points[2], newest)).toEqual(rec[3][2]); // ≤ 10 years
		expect(pointColour('recency', pt({ 6: '1990-01-01' }), newest)).toEqual(rec[4][2]);
		const fat = legend('fatalities');
		expect(pointColour('fatalities', pt({ 4: 30 }), null)).toEqual(fat[0][2]);
		expect(pointColour('fatalities', pt({ 4: 5 }), null)).toEqual(fat[1][2]);
		expect(pointColour('fatalities', pt({ 4: 1 }), null)).toEqual(fat[2][2]);
		expect(pointColour('fatalities', pt({ 4: 0 }), null)).toEqual(fat[3][2]);
		expect(pointColour('fatalities', pt({ 4: null }), null)).toEqual(fat[4][2]);
	});
});
