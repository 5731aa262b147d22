import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYERS, filterQuery, mapUrlParams, parseMapUrl } from './url-state.ts';

const p = (s: string) => parseMapUrl(new URLSearchParams(s));

describe('map URL state', () => {
	it('gives the defaults for a bare /map', () => {
		const s = p('');
		expect(s.view).toBeNull();
		expect([...s.layers]).toEqual([...DEFAULT_LAYERS]);
		expect(s.mode).toBe('points');
		expect(s.types).toBeNull();
		expect(mapUrlParams(s).toString()).toBe('');
	});

	it('round-trips view, filters, layers, mode and selection', () => {
		const q =
			'z=7.25&c=44.1234,33.5&from=2014-01-01&to=2014-12-31&type=battles,riots&area=IQG15&layers=incidents,districts&mode=density&sel=incident:5b7c';
		const s = p(q);
		expect(s.view).toEqual({ zoom: 7.25, center: [44.1234, 33.5] });
		expect(s.types).toEqual(['battles', 'riots']);
		expect([...s.layers].sort()).toEqual(['districts', 'incidents']);
		expect(s.selected).toEqual({ kind: 'incident', id: '5b7c' });
		expect(parseMapUrl(mapUrlParams(s))).toEqual(s);
	});

	it('drops bad values one by one instead of failing', () => {
		const s = p('z=abc&c=1&from=2014-02-30&to=yesterday&type=bombing&area=Mosul&mode=3d&sel=nonsense');
		expect(s).toMatchObject({ view: null, from: null, to: null, types: null, area: null, mode: 'points', selected: null });
	});

	it('keeps an empty type list (nothing ticked) apart from all types', () => {
		const none = p('type=');
		expect(none.types).toEqual([]);
		expect(mapUrlParams(none).get('type')).toBe('');
		expect(p('type=battles,violence_against_civilians,explosions_remote_violence,riots,protests,strategic_developments').types).toBeNull();
	});

	it('orders a reversed date range', () => {
		expect(p('from=2015-01-01&to=2014-01-01')).toMatchObject({ from: '2014-01-01', to: '2015-01-01' });
	});

	it('keeps parameters it does not own and writes API filter names', () => {
		const out = mapUrlParams({ ...p(''), from: '2014-01-01' }, new URLSearchParams('foo=1&z=3'));
		expect(out.get('foo')).toBe('1');
		expect(out.has('z')).toBe(false);
		expect(filterQuery(p('type=riots&area=IQG01&to=2010-05-05')).toString()).toBe('to=2010-05-05&type=riots&area=IQG01');
	});

	it('accepts a bbox link when there is no camera', () => {
		expect(p('bbox=40,30,48,37').bbox).toEqual([40, 30, 48, 37]);
		expect(p('bbox=48,30,40,37').bbox).toBeNull();
	});
});
