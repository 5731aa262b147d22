import { describe, expect, it } from 'vitest';
import { checkDepth, checkVertices, countVertices, jsonDepth, MAX_VERTICES } from './limits.ts';

const ring = (n: number) => Array.from({ length: n }, (_, i) => [i / n, (i * 7) % 3]);

describe('input caps', () => {
	it('counts the vertices of geometries, features and collections', () => {
		expect(countVertices({ type: 'Point', coordinates: [1, 2] })).toBe(1);
		expect(countVertices({ type: 'Polygon', coordinates: [ring(5), ring(4)] })).toBe(9);
		expect(
			countVertices({
				type: 'FeatureCollection',
				features: [{ type: 'Feature', geometry: { type: 'LineString', coordinates: ring(3) } }]
			})
		).toBe(3);
	});

	it('refuses a polygon over the cap, naming the field', () => {
		const big = { type: 'Polygon', coordinates: [ring(MAX_VERTICES + 1)] };
		expect(() => checkVertices('geometry', big)).toThrow(/vertices/);
		expect(() =>
			checkVertices('geometry', { type: 'Polygon', coordinates: [ring(100)] })
		).not.toThrow();
	});

	it('measures nesting without recursion, and refuses deep nesting', () => {
		let deep: unknown = 1;
		for (let i = 0; i < 200_000; i++) deep = [deep];
		expect(jsonDepth(deep)).toBeGreaterThan(32);
		expect(() => checkDepth('body', deep)).toThrow(/nested too deeply/);
		expect(jsonDepth({ a: [{ b: 1 }] })).toBe(3);
	});
});
