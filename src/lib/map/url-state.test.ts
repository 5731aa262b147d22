import { describe, expect, it } from 'vitest';
import {
	areaCodes,
	areaParam,
	asOfDate,
	DEFAULT_LAYERS,
	filterQuery,
	MAP_LAYERS,
	mapUrlParams,
	parseMapUrl,
	withLayer
} from './url-state.ts';

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
		const s = p(
			'z=abc&c=1&from=2014-02-30&to=yesterday&type=bombing&area=Mosul&mode=3d&sel=nonsense'
		);
		expect(s).toMatchObject({
			view: null,
			from: null,
			to: null,
			types: null,
			area: null,
			mode: 'points',
			selected: null
		});
	});

	it('keeps an empty type list (nothing ticked) apart from all types', () => {
		const none = p('type=');
		expect(none.types).toEqual([]);
		expect(mapUrlParams(none).get('type')).toBe('');
		expect(
			p(
				'type=battles,violence_against_civilians,explosions_remote_violence,riots,protests,strategic_developments'
			).types
		).toBeNull();
	});

	it('orders a reversed date range', () => {
		expect(p('from=2015-01-01&to=2014-01-01')).toMatchObject({
			from: '2014-01-01',
			to: '2015-01-01'
		});
	});

	it('keeps parameters it does not own and writes API filter names', () => {
		const out = mapUrlParams({ ...p(''), from: '2014-01-01' }, new URLSearchParams('foo=1&z=3'));
		expect(out.get('foo')).toBe('1');
		expect(out.has('z')).toBe(false);
		expect(filterQuery(p('type=riots&area=IQG01&to=2010-05-05')).toString()).toBe(
			'to=2010-05-05&type=riots&area=IQG01'
		);
	});

	it('accepts a bbox link when there is no camera', () => {
		expect(p('bbox=40,30,48,37').bbox).toEqual([40, 30, 48, 37]);
		expect(p('bbox=48,30,40,37').bbox).toBeNull();
	});

	it('knows the actor and area-shading layers and keeps the default layers', () => {
		expect(MAP_LAYERS).toEqual(
			expect.arrayContaining(['actor_presence', 'actor_arcs', 'area_levels', 'area_baseline'])
		);
		expect([...DEFAULT_LAYERS]).toEqual(['incidents', 'checkpoints', 'org_sites', 'governorates']);
		const s = p('layers=actor_presence,actor_arcs,area_baseline');
		expect([...s.layers].sort()).toEqual(['actor_arcs', 'actor_presence', 'area_baseline']);
		expect(mapUrlParams(s).get('layers')).toBe('actor_presence,actor_arcs,area_baseline');
	});

	it('keeps one area shading at a time', () => {
		expect([...p('layers=area_levels,area_baseline,incidents').layers].sort()).toEqual([
			'area_levels',
			'incidents'
		]);
		const levels = withLayer(new Set(['incidents', 'area_levels'] as const), 'area_baseline', true);
		expect([...levels].sort()).toEqual(['area_baseline', 'incidents']);
		expect([...withLayer(levels, 'area_baseline', false)]).toEqual(['incidents']);
		// Other layers are independent of each other.
		expect([...withLayer(new Set(['actor_arcs'] as const), 'actor_presence', true)].sort()).toEqual(
			['actor_arcs', 'actor_presence']
		);
	});

	it('round-trips actor types, relationship kinds and the new selections', () => {
		const rel = 'sel=relationship:0f8fad5b-d9cb-469f-a165-70867728950e';
		const s = p(`actor_type=armed_group,militia&rel_kind=coordination,confronted&${rel}`);
		expect(s.actorTypes).toEqual(['armed_group', 'militia']);
		expect(s.relKinds).toEqual(['coordination', 'confronted']);
		expect(s.selected).toEqual({
			kind: 'relationship',
			id: '0f8fad5b-d9cb-469f-a165-70867728950e'
		});
		expect(parseMapUrl(mapUrlParams(s))).toEqual(s);

		const pair = '0f8fad5b-d9cb-469f-a165-70867728950e~7c9e6679-7425-40de-944b-e07fc1f90ae7';
		expect(p(`sel=confrontation:${pair}`).selected).toEqual({ kind: 'confrontation', id: pair });
		expect(p('sel=actor:7c9e6679-7425-40de-944b-e07fc1f90ae7').selected).toEqual({
			kind: 'actor',
			id: '7c9e6679-7425-40de-944b-e07fc1f90ae7'
		});
		// Not ids: dropped.
		expect(p('sel=actor:peshmerga').selected).toBeNull();
		expect(p('sel=confrontation:abc~def').selected).toBeNull();
		expect(p('sel=relationship:1234').selected).toBeNull();
	});

	it('drops unknown actor types and kinds, and treats all of them as no filter', () => {
		expect(p('actor_type=warlord').actorTypes).toBeNull();
		expect(p('rel_kind=friendship,alliance').relKinds).toEqual(['alliance']);
		expect(p('rel_kind=').relKinds).toEqual([]);
		expect(mapUrlParams(p('')).has('rel_kind')).toBe(false);
	});

	it('shows the actor layers and levels as of the end of the period, else today', () => {
		expect(asOfDate({ to: '2017-06-30' })).toBe('2017-06-30');
		expect(asOfDate({ to: null }, new Date('2026-03-04T23:59:00Z'))).toBe('2026-03-04');
	});
});

describe('overlays and rate shading in the URL (issue 13)', () => {
	const A = '0b0c7f3e-1111-4222-8333-444455556666';
	const B = '9f8e7d6c-aaaa-4bbb-8ccc-ddddeeeeffff';
	it('keeps ov ids (deduplicated, only UUIDs) and a rate level, and writes them back', () => {
		const s = parseMapUrl(new URLSearchParams(`ov=${A},junk,${B},${A}&rate=2`));
		expect(s.overlays).toEqual([A, B]);
		expect(s.rate).toBe(2);
		const out = mapUrlParams(s);
		expect(out.get('ov')).toBe(`${A},${B}`);
		expect(out.get('rate')).toBe('2');
	});
	it('drops a bad rate level and leaves a plain /map plain', () => {
		expect(parseMapUrl(new URLSearchParams('rate=7')).rate).toBeNull();
		expect(mapUrlParams(parseMapUrl(new URLSearchParams(''))).toString()).toBe('');
	});
	it('keeps several areas in one area= (valid codes, each once) and gives them to the API as is', () => {
		const s = p('area=IQG08,IQG15Q08,bad,IQG08&area=IQG21');
		expect(s.area).toBe('IQG08,IQG15Q08,IQG21');
		expect(areaCodes(s.area)).toEqual(['IQG08', 'IQG15Q08', 'IQG21']);
		expect(mapUrlParams(s).get('area')).toBe('IQG08,IQG15Q08,IQG21');
		expect(filterQuery(s).get('area')).toBe('IQG08,IQG15Q08,IQG21');
		expect(areaParam([])).toBeNull();
		expect(areaCodes(null)).toEqual([]);
	});
});

describe('the basemap in the URL (issue 13, point 5)', () => {
	it('keeps a basemap id, writes it back, and replaces a changed one', () => {
		const s = parseMapUrl(new URLSearchParams('basemap=dohuk-detail-1a2b3c&z=9&c=43,36.8'));
		expect(s.basemap).toBe('dohuk-detail-1a2b3c');
		expect(mapUrlParams(s).get('basemap')).toBe('dohuk-detail-1a2b3c');
		const into = new URLSearchParams('basemap=old-one');
		expect(mapUrlParams({ ...s, basemap: null }, into).has('basemap')).toBe(false);
	});
	it('drops a malformed id (the built-in basemap is drawn)', () => {
		expect(parseMapUrl(new URLSearchParams('basemap=../etc')).basemap).toBeNull();
		expect(parseMapUrl(new URLSearchParams('basemap=')).basemap).toBeNull();
	});
});
