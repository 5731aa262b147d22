// Styles for the detailed offline basemaps an operator adds (PMTiles vector archives, served by
// this app as /api/v1/basemaps/<id>/{z}/{x}/{y}.mvt; see $lib/server/basemaps). Such a basemap is
// drawn *on top of* the built-in one rather than replacing the style: the built-in countries,
// borders and country names stay around and outside the extract, the data layers and overlays
// other components added keep their place, and switching back is removing a few layers (a
// `setStyle` would drop every layer the page added). Fonts are the built-in style's `font-faces`
// (local WOFF2 files): no glyph server, Arabic shaped by maplibre itself.
//
// Two tile schemas are understood, told apart by the archive's `vector_layers`:
//  - Protomaps basemaps (https://docs.protomaps.com/basemaps/layers): earth, water, roads
//    (kind: highway, major_road, minor_road, path, other), places (kind: locality, …);
//  - OpenMapTiles (https://openmaptiles.org/schema/): water, waterway, transportation (class:
//    motorway, trunk, primary, …), place (class: city, town, village, …).
import type { StyleSpecification } from './basemap-style.ts';
import {
	BASEMAP_FONT_BOLD,
	BASEMAP_FONT_REGULAR,
	nameField,
	type BasemapLang
} from './basemap-style.ts';

type Layer = StyleSpecification['layers'][number];
type VectorSource = Extract<StyleSpecification['sources'][string], { type: 'vector' }>;

export type BasemapSchema = 'protomaps' | 'openmaptiles';

export interface VectorLayer {
	id: string;
}

/** The file's container; basemaps added before MBTiles were supported have none (PMTiles). */
export type BasemapFormat = 'pmtiles' | 'mbtiles';

/** What the server knows of an added basemap (GET /api/v1/basemaps). */
export interface BasemapInfo {
	id: string;
	/** A file this server serves (absent in basemaps added before online ones existed). */
	kind?: 'archive';
	format?: BasemapFormat;
	name: string;
	added: string;
	schema: BasemapSchema;
	layers: string[];
	minzoom: number;
	maxzoom: number;
	bounds: [number, number, number, number];
	attribution: string | null;
	size: number;
}

/** Which schema a set of tile layer names follows, or null for one we cannot style. */
export function detectSchema(layerIds: readonly string[]): BasemapSchema | null {
	const has = (id: string) => layerIds.includes(id);
	if (has('roads') && (has('places') || has('earth') || has('water'))) return 'protomaps';
	if (has('transportation') && (has('place') || has('water'))) return 'openmaptiles';
	return null;
}

/** The source-layer names of each schema. */
export const SOURCE_LAYERS: Record<
	BasemapSchema,
	{ earth: string | null; water: string; waterway: string; roads: string; places: string }
> = {
	protomaps: {
		earth: 'earth',
		water: 'water',
		waterway: 'water',
		roads: 'roads',
		places: 'places'
	},
	openmaptiles: {
		earth: null,
		water: 'water',
		waterway: 'waterway',
		roads: 'transportation',
		places: 'place'
	}
};

/** Road tiers: 0 motorway/trunk, 1 main roads, 2 local roads, 3 paths and tracks. */
export function roadTier(schema: BasemapSchema): unknown {
	if (schema === 'protomaps')
		return ['match', ['get', 'kind'], 'highway', 0, 'major_road', 1, 'path', 3, 2];
	return [
		'match',
		['get', 'class'],
		['motorway', 'trunk'],
		0,
		['primary', 'secondary'],
		1,
		['path', 'track', 'bridleway', 'footway', 'cycleway'],
		3,
		2
	];
}

export const DETAIL_COLORS = {
	earth: '#f1efea',
	water: '#b9d3e4',
	waterLine: '#8fb3cc',
	highway: '#e07b39',
	highwayCasing: '#a9521f',
	major: '#f2c14e',
	majorCasing: '#b8892a',
	minor: '#ffffff',
	minorCasing: '#bdb5a8',
	path: '#9c927f',
	placeText: '#2b2823',
	halo: '#ffffff'
};

/** Prefix of every layer and the source id this module adds, so they can be found and removed. */
export const DETAIL_PREFIX = 'detail-';
export const DETAIL_SOURCE = 'detail-basemap';

export interface DetailLayers {
	source: VectorSource;
	/** Shapes (earth, water, roads): add before the built-in `country-borders`. */
	shapes: Layer[];
	/** Names: add before the built-in `place-labels` (above the data layers). */
	labels: Layer[];
}

/** The built-in layers the detailed ones go under (see basemap-style.ts). */
export const SHAPES_BEFORE = 'country-borders';
export const LABELS_BEFORE = 'place-labels';
/** Built-in layers hidden while a detailed basemap shows: its own places replace them. */
export const HIDDEN_BUILTIN = ['place-dots', 'place-labels'];

export function detailLayers(
	b: Pick<BasemapInfo, 'id' | 'schema' | 'minzoom' | 'maxzoom' | 'bounds' | 'attribution'>,
	opts: { origin: string; lang: BasemapLang }
): DetailLayers {
	const base = new URL(opts.origin).origin;
	const sl = SOURCE_LAYERS[b.schema];
	const src = DETAIL_SOURCE;
	const tier = roadTier(b.schema) as never;
	const polygon = ['==', ['geometry-type'], 'Polygon'] as never;
	const line = ['==', ['geometry-type'], 'LineString'] as never;
	const width = (w0: number[], w1: number[], w2: number[]) =>
		[
			'interpolate',
			['exponential', 1.6],
			['zoom'],
			6,
			['match', tier, 0, w0[0], 1, w0[1], 3, w0[3], w0[2]],
			11,
			['match', tier, 0, w1[0], 1, w1[1], 3, w1[3], w1[2]],
			16,
			['match', tier, 0, w2[0], 1, w2[1], 3, w2[3], w2[2]]
		] as never;
	const shapes: Layer[] = [];
	if (sl.earth)
		shapes.push({
			id: `${DETAIL_PREFIX}earth`,
			type: 'fill',
			source: src,
			'source-layer': sl.earth,
			paint: { 'fill-color': DETAIL_COLORS.earth, 'fill-antialias': false }
		});
	shapes.push(
		{
			id: `${DETAIL_PREFIX}water`,
			type: 'fill',
			source: src,
			'source-layer': sl.water,
			filter: polygon,
			paint: { 'fill-color': DETAIL_COLORS.water }
		},
		{
			id: `${DETAIL_PREFIX}waterway`,
			type: 'line',
			source: src,
			'source-layer': sl.waterway,
			filter: line,
			layout: { 'line-join': 'round', 'line-cap': 'round' },
			paint: {
				'line-color': DETAIL_COLORS.waterLine,
				'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.8, 14, 3]
			}
		},
		{
			id: `${DETAIL_PREFIX}roads-casing`,
			type: 'line',
			source: src,
			'source-layer': sl.roads,
			filter: ['all', line, ['<', tier, 3]] as never,
			layout: {
				'line-join': 'round',
				'line-cap': 'round',
				'line-sort-key': ['-', 3, tier] as never
			},
			paint: {
				'line-color': [
					'match',
					tier,
					0,
					DETAIL_COLORS.highwayCasing,
					1,
					DETAIL_COLORS.majorCasing,
					DETAIL_COLORS.minorCasing
				] as never,
				'line-width': width([2.2, 1.6, 0.8, 0], [5, 4, 2.4, 0], [18, 14, 9, 0])
			}
		},
		{
			id: `${DETAIL_PREFIX}roads`,
			type: 'line',
			source: src,
			'source-layer': sl.roads,
			filter: line,
			layout: {
				'line-join': 'round',
				'line-cap': 'round',
				'line-sort-key': ['-', 3, tier] as never
			},
			paint: {
				'line-color': [
					'match',
					tier,
					0,
					DETAIL_COLORS.highway,
					1,
					DETAIL_COLORS.major,
					3,
					DETAIL_COLORS.path,
					DETAIL_COLORS.minor
				] as never,
				'line-width': width([1.4, 1, 0.4, 0.3], [3.4, 2.6, 1.4, 0.8], [14, 11, 7, 2])
			}
		}
	);
	const isPlace =
		b.schema === 'protomaps'
			? ['match', ['get', 'kind'], ['locality', 'neighbourhood', 'macrohood'], true, false]
			: [
					'match',
					['get', 'class'],
					['city', 'town', 'village', 'hamlet', 'suburb', 'quarter', 'neighbourhood'],
					true,
					false
				];
	const major =
		b.schema === 'protomaps'
			? ['>=', ['coalesce', ['get', 'population_rank'], 0], 9]
			: ['match', ['get', 'class'], ['city', 'town'], true, false];
	const labels: Layer[] = [
		{
			id: `${DETAIL_PREFIX}places`,
			type: 'symbol',
			source: src,
			'source-layer': sl.places,
			filter: isPlace as never,
			layout: {
				'text-field': nameField(opts.lang),
				'text-font': [
					'case',
					major as never,
					['literal', [BASEMAP_FONT_BOLD]],
					['literal', [BASEMAP_FONT_REGULAR]]
				] as never,
				'text-size': ['interpolate', ['linear'], ['zoom'], 8, 11, 14, 15] as never,
				'text-max-width': 9,
				'text-padding': 3,
				// Bigger places are placed first.
				'symbol-sort-key': (b.schema === 'protomaps'
					? ['-', 0, ['coalesce', ['get', 'population_rank'], 0]]
					: ['coalesce', ['get', 'rank'], 99]) as never
			},
			paint: {
				'text-color': DETAIL_COLORS.placeText,
				'text-halo-color': DETAIL_COLORS.halo,
				'text-halo-width': 1.4
			}
		}
	];
	return {
		source: {
			type: 'vector',
			tiles: [`${base}/api/v1/basemaps/${encodeURIComponent(b.id)}/{z}/{x}/{y}.mvt`],
			minzoom: b.minzoom,
			maxzoom: b.maxzoom,
			bounds: b.bounds,
			...(b.attribution ? { attribution: b.attribution } : {})
		},
		shapes,
		labels
	};
}
