import { describe, expect, it } from 'vitest';
import { powerInterestLayout } from './layout.ts';

describe('powerInterestLayout', () => {
	it('puts high influence at the top and high interest to the end of the x axis', () => {
		const l = powerInterestLayout(
			[
				{ id: 'a', name: 'A', stance: 'hostile', influence: 5, interest: 5 },
				{ id: 'b', name: 'B', stance: 'neutral', influence: 1, interest: 1 }
			],
			500,
			400
		);
		const [a, b] = ['a', 'b'].map((id) => l.points.find((p) => p.id === id)!);
		expect(a.y).toBeLessThan(b.y);
		expect(a.x).toBeGreaterThan(b.x);
		expect(l.xTicks).toHaveLength(5);
	});
	it('spreads actors sharing a cell so that no two overlap, all inside the cell', () => {
		const same = Array.from({ length: 12 }, (_, i) => ({
			id: String(i),
			name: `N${i}`,
			stance: 'unknown',
			influence: 3,
			interest: 3
		}));
		const l = powerInterestLayout(same, 500, 400);
		const keys = new Set(l.points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`));
		expect(keys.size).toBe(12);
		const cell = (500 - 52 - 16) / 5;
		for (const p of l.points) expect(Math.abs(p.x - l.midX)).toBeLessThan(cell / 2);
	});
});
