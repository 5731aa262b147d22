import { describe, expect, it } from 'vitest';
import { parseRefine, refineFromParams, refineParam, refineQuery } from './map-refine.ts';
import { filterQuery, mapUrlParams, parseMapUrl } from './url-state.ts';

const P = (s: string) => new URLSearchParams(s);

describe('the map URL’s place and further filters', () => {
	it('keeps a circle, a stored shape with a distance, and the further filters, in one order', () => {
		expect(refineParam(P('within_km=10&lon=44.3&lat=33.3&lens=serious,us&status=verified'))).toBe(
			'lat=33.3&lon=44.3&within_km=10&lens=serious%2Cus&status=verified'
		);
		const id = '0b5e1d3c-1111-4222-8333-444455556666';
		expect(parseRefine(`geometry_id=${id}&within_km=3&reliability=a`)).toEqual({
			place: { geometryId: id, withinKm: 3 },
			more: { reliability: ['A'] }
		});
	});
	it('drops a bad group of values and keeps the rest (a stale link still opens)', () => {
		const r = refineFromParams(P('lat=33&lon=44&lens=friends&status=verified'));
		expect(r.place).toEqual({}); // a circle without a radius is no place
		expect(r.more).toEqual({ status: ['verified'] });
		expect(refineQuery(r)).toBe('status=verified');
	});
	it('travels through the map URL and into every incident request', () => {
		const s = parseMapUrl(
			P('z=9&c=44,33&type=battles&lat=33&lon=44&within_km=10&lens=us&style=recency')
		);
		expect(s.pointStyle).toBe('recency');
		const url = mapUrlParams(s);
		expect(url.get('within_km')).toBe('10');
		expect(url.get('style')).toBe('recency');
		const api = filterQuery(s);
		expect(api.get('type')).toBe('battles');
		expect(api.get('lat')).toBe('33');
		expect(api.get('lens')).toBe('us');
		expect(api.has('style')).toBe(false);
		// Cleared, the parameters leave the URL.
		expect(mapUrlParams({ ...s, refine: '' }, url).has('within_km')).toBe(false);
	});
});
