import { describe, expect, it } from 'vitest';
import { href, query } from './query';

describe('query', () => {
	it('applies changes to a base: sets, removes blanks, repeats arrays', () => {
		const base = new URLSearchParams('from=2014-01-01&type=a&page=3');
		expect(query(base, { page: null, type: ['x', 'y'], q: '', on: false, z: 12 })).toBe(
			'from=2014-01-01&type=x&type=y&z=12'
		);
	});
	it('keeps only the named keys of the base when asked', () => {
		expect(query('a=1&b=2&c=3', { d: 'x' }, ['a', 'c'])).toBe('a=1&c=3&d=x');
	});
	it('never changes the base it was given', () => {
		const base = new URLSearchParams('a=1');
		query(base, { a: null });
		expect(base.toString()).toBe('a=1');
	});
	it('gives a bare path for an empty query', () => {
		expect(href('/map', '')).toBe('/map');
		expect(href('/map', 'a=1')).toBe('/map?a=1');
	});
});
