import { describe, expect, it } from 'vitest';
import {
	changes,
	DEFAULT_WEIGHTS,
	indicators,
	score,
	WeightsError,
	type ProfileNumbers
} from './assessments.ts';

const p = (
	o: Partial<ProfileNumbers> & { pop?: number; level?: number; hib?: number }
): ProfileNumbers => ({
	incidents: { total: 0, last_12_months: 0 },
	population: o.pop === undefined ? null : { value: o.pop },
	security_levels: o.level ? [{ level_of_area: 2, current: { level: o.level } }] : [],
	nearest: { hibernation_site: o.hib === undefined ? null : { km: o.hib }, hospital: { km: 10 } },
	camps: { count: 0, population: 0 },
	checkpoints: [],
	...o
});

describe('site selection score', () => {
	it('computes incidents per 10,000 people and the access share', () => {
		const v = indicators(
			p({
				incidents: { total: 9, last_12_months: 5 },
				pop: 20_000,
				checkpoints: [{ status: 'open' }, { status: 'closed' }]
			})
		);
		expect(v.incidents_per_10k).toBe(2.5);
		expect(v.access).toBe(0.5);
	});

	it('scores the better candidate higher and shows how each part contributes', () => {
		const [a, b] = score(
			[
				p({ incidents: { total: 1, last_12_months: 1 }, pop: 10_000, level: 2, hib: 5 }),
				p({ incidents: { total: 9, last_12_months: 9 }, pop: 10_000, level: 4, hib: 40 })
			],
			{ ...DEFAULT_WEIGHTS, camp_population: 0, hospital_km: 0, access: 0 }
		);
		expect(a.score).toBe(100);
		expect(b.score).toBe(0);
		expect(a.parts.incidents_per_10k).toBe(37.5);
		expect(a.parts.security_level + a.parts.hibernation_km + a.parts.incidents_per_10k).toBe(100);
	});

	it('refuses weights that sum to zero or are negative', () => {
		const zero = Object.fromEntries(Object.keys(DEFAULT_WEIGHTS).map((k) => [k, 0]));
		expect(() => score([p({})], zero as typeof DEFAULT_WEIGHTS)).toThrow(WeightsError);
		expect(() => score([p({})], zero as typeof DEFAULT_WEIGHTS)).toThrow(/sum to zero/);
		expect(() => score([p({})], { ...DEFAULT_WEIGHTS, access: -1 })).toThrow(/access/);
	});
});

describe('what changed on a re-run', () => {
	it('lists figures, levels, checkpoints and actors that differ', () => {
		const before = {
			incidents: { total: 3 },
			camps: { count: 1, population: 100 },
			security_levels: [{ pcode: 'IQD1', current: { level: 2 } }],
			checkpoints: [{ id: 'k1', name: 'Gate', status: 'open' }],
			actors: [{ id: 'a1', name: 'Group A' }]
		};
		const after = {
			incidents: { total: 5 },
			camps: { count: 1, population: 100 },
			security_levels: [{ pcode: 'IQD1', current: { level: 3 } }],
			checkpoints: [{ id: 'k1', name: 'Gate', status: 'closed' }],
			actors: [{ id: 'a2', name: 'Group B' }]
		};
		expect(changes(before, after)).toEqual([
			{ key: 'incidents.total', before: 3, after: 5 },
			{ key: 'security_level.IQD1', before: 2, after: 3 },
			{ key: 'checkpoint.Gate', before: 'open', after: 'closed' },
			{ key: 'actor.Group B', before: null, after: 'present' },
			{ key: 'actor.Group A', before: 'present', after: null }
		]);
		expect(changes(before, before)).toEqual([]);
	});
});
