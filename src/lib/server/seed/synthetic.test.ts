import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from './rows.ts';
import {
	mulberry32,
	prepareAnchors,
	SYNTHETIC_ACTORS,
	syntheticIncident,
	syntheticIncidents,
	type Anchor
} from './synthetic.ts';

const anchors: Anchor[] = [
	[43.118889, 36.335, 1705], // Mosul
	[44.400876, 33.340582, 1164], // Baghdad
	[42.988446, 36.867089, 2] // Dohuk
];
const p = prepareAnchors(anchors);

describe('synthetic incidents', () => {
	it('are deterministic per seed and index, whatever the batch', () => {
		const a = syntheticIncidents(p, 7, 0, 300);
		const b = [...syntheticIncidents(p, 7, 0, 150), ...syntheticIncidents(p, 7, 150, 150)];
		expect(b).toEqual(a);
		expect(syntheticIncident(p, 7, 42)).toEqual(a[42]);
		expect(syntheticIncident(p, 8, 42)).not.toEqual(a[42]);
		expect(new Set(a.map((r) => r.upstream_id)).size).toBe(300);
	});

	it('cover every event type, 2010–2018, as samples, with known actors', () => {
		const rows = syntheticIncidents(p, 1, 0, 5000);
		expect(new Set(rows.map((r) => r.event_type))).toEqual(new Set(EVENT_TYPES));
		const dates = rows.map((r) => r.event_date).sort();
		expect(dates[0] >= '2010-01-01' && dates[dates.length - 1] <= '2018-12-31').toBe(true);
		expect(dates[0].slice(0, 4)).toBe('2010');
		expect(dates[dates.length - 1].slice(0, 4)).toBe('2018');
		expect(
			rows.every((r) => r.is_sample && r.fatalities >= 0 && Number.isInteger(r.fatalities))
		).toBe(true);
		const names = new Set(SYNTHETIC_ACTORS.map((a) => a.name));
		expect(
			rows.every(
				(r) =>
					(r.actor1 === null || names.has(r.actor1)) && (r.actor2 === null || names.has(r.actor2))
			)
		).toBe(true);
	});

	it('follow the anchors’ weights and stay within a few km of them', () => {
		const rows = syntheticIncidents(p, 3, 0, 4000);
		const nearest = (r: { lon: number; lat: number }) =>
			anchors.reduce(
				(best, a, i) =>
					Math.hypot(a[0] - r.lon, a[1] - r.lat) <
					Math.hypot(anchors[best][0] - r.lon, anchors[best][1] - r.lat)
						? i
						: best,
				0
			);
		const counts = [0, 0, 0];
		for (const r of rows) {
			const i = nearest(r);
			counts[i]++;
			expect(Math.hypot(anchors[i][0] - r.lon, anchors[i][1] - r.lat)).toBeLessThan(0.12);
		}
		expect(counts[0]).toBeGreaterThan(counts[1]);
		expect(counts[2]).toBeLessThan(40);
	});

	it('need at least one anchor', () => {
		expect(() => prepareAnchors([])).toThrow(/no anchor/);
	});

	it('use a PRNG that repeats for a seed', () => {
		const a = mulberry32(5);
		const b = mulberry32(5);
		expect([a(), a(), a()]).toEqual([b(), b(), b()]);
	});
});
