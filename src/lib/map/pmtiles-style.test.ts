import { describe, expect, it } from 'vitest';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { basemapStyle } from './basemap-style.ts';
import {
	DETAIL_SOURCE,
	detailLayers,
	detectSchema,
	HIDDEN_BUILTIN,
	LABELS_BEFORE,
	SHAPES_BEFORE,
	type BasemapInfo
} from './pmtiles-style.ts';

const origin = 'http://127.0.0.1:3000';
const info = (schema: BasemapInfo['schema']) => ({
	id: 'iraq-1a2b3c',
	schema,
	minzoom: 0,
	maxzoom: 14,
	bounds: [38.7, 29, 48.6, 37.4] as [number, number, number, number],
	attribution: '© OpenStreetMap'
});

/** The built-in style with a detailed basemap's layers put where MapView's component puts them. */
function combined(schema: BasemapInfo['schema'], lang: 'en' | 'ar' | 'ku' | 'fr' = 'en') {
	const style = basemapStyle({ origin, lang });
	const d = detailLayers(info(schema), { origin, lang });
	const at = (id: string) => style.layers.findIndex((l) => l.id === id);
	style.layers.splice(at(SHAPES_BEFORE), 0, ...d.shapes);
	style.layers.splice(at(LABELS_BEFORE), 0, ...d.labels);
	style.sources[DETAIL_SOURCE] = d.source;
	return { style, d };
}

describe('detectSchema', () => {
	it('tells Protomaps and OpenMapTiles archives apart by their layer names', () => {
		expect(
			detectSchema([
				'boundaries',
				'buildings',
				'earth',
				'landcover',
				'landuse',
				'places',
				'pois',
				'roads',
				'transit',
				'water'
			])
		).toBe('protomaps');
		expect(
			detectSchema([
				'water',
				'waterway',
				'landcover',
				'landuse',
				'transportation',
				'transportation_name',
				'place',
				'building',
				'boundary'
			])
		).toBe('openmaptiles');
		expect(detectSchema(['roads', 'water'])).toBe('protomaps');
		expect(detectSchema(['transportation', 'place'])).toBe('openmaptiles');
	});
	it('refuses what it cannot style', () => {
		expect(detectSchema([])).toBeNull();
		expect(detectSchema(['incidents'])).toBeNull();
		expect(detectSchema(['roads'])).toBeNull();
	});
});

describe('detailLayers', () => {
	for (const schema of ['protomaps', 'openmaptiles'] as const)
		for (const lang of ['en', 'ar', 'ku', 'fr'] as const)
			it(`${schema}/${lang}: a valid style with the built-in one, tiles from this server only`, () => {
				const { style, d } = combined(schema, lang);
				expect(validateStyleMin(style)).toEqual([]);
				expect(d.source.tiles).toEqual([`${origin}/api/v1/basemaps/iraq-1a2b3c/{z}/{x}/{y}.mvt`]);
				// Fonts come from the built-in style's font-faces (local files), never a glyph URL.
				expect(style.glyphs).toBeUndefined();
			});

	it('reads each schema’s own layer names', () => {
		const layerOf = (schema: BasemapInfo['schema']) =>
			Object.fromEntries(
				[
					...detailLayers(info(schema), { origin, lang: 'en' }).shapes,
					...detailLayers(info(schema), { origin, lang: 'en' }).labels
				].map((l) => [l.id, (l as { 'source-layer'?: string })['source-layer']])
			);
		expect(layerOf('protomaps')).toEqual({
			'detail-earth': 'earth',
			'detail-water': 'water',
			'detail-waterway': 'water',
			'detail-roads-casing': 'roads',
			'detail-roads': 'roads',
			'detail-places': 'places'
		});
		expect(layerOf('openmaptiles')).toEqual({
			'detail-water': 'water',
			'detail-waterway': 'waterway',
			'detail-roads-casing': 'transportation',
			'detail-roads': 'transportation',
			'detail-places': 'place'
		});
	});

	it('labels places in Arabic and Sorani where the data has them, else the plain name', () => {
		const field = (lang: 'ar' | 'ku' | 'en') =>
			JSON.stringify(
				(
					detailLayers(info('protomaps'), { origin, lang }).labels[0].layout as Record<
						string,
						unknown
					>
				)['text-field']
			);
		expect(field('ar')).toContain('"name:ar"');
		expect(field('ku')).toContain('"name:ckb"');
		for (const lang of ['ar', 'ku', 'en'] as const) expect(field(lang)).toContain('["get","name"]');
	});

	it('hides only the built-in place layers, which exist in the built-in style', () => {
		const ids = basemapStyle({ origin, lang: 'en' }).layers.map((l) => l.id);
		for (const id of [...HIDDEN_BUILTIN, SHAPES_BEFORE, LABELS_BEFORE]) expect(ids).toContain(id);
	});
});
