// The default, fully offline basemap: every source and font is a file this app serves from
// static/ (built by scripts/build-basemap.js), so the map needs no tile, glyph or sprite server.
//
// Labels use the style's `font-faces` (maplibre-gl 6) rather than a `glyphs` URL: the browser
// draws them from our WOFF2 files, and maplibre's own Arabic shaping and bidi put Arabic words
// together right to left, with no RTL plugin. There is no `glyphs` URL at all, so a character no
// declared file covers is drawn with the browser's local fonts instead of being fetched.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { CKB_BY_PCODE, CKB_BY_PLACE } from './names-ckb.ts';
import { FR_BY_NAME } from './names-fr.ts';

// maplibre-gl 6 does not re-export the style-spec types; take them from its public API.
export type StyleSpecification = ReturnType<MapLibreMap['getStyle']>;
type FontFaces = NonNullable<StyleSpecification['font-faces']>;
type Layer = StyleSpecification['layers'][number];
type Filter = NonNullable<Extract<Layer, { type: 'fill' }>['filter']>;
type TextField = NonNullable<
	NonNullable<Extract<Layer, { type: 'symbol' }>['layout']>['text-field']
>;

export type BasemapLang = 'en' | 'ar' | 'ku' | 'fr';

/** A view of all of Iraq, for a map that has no view in its URL yet. */
export const BASEMAP_DEFAULT_VIEW = { center: [44, 33.3] as [number, number], zoom: 5.5 };

export interface BasemapOptions {
	/** Where the app is served from, e.g. `https://terrain.example.org` or `location.origin`. */
	origin: string;
	lang: BasemapLang;
}

/** Font names used in `text-font`; each maps to the files in `font-faces`. */
export const BASEMAP_FONT_REGULAR = 'Noto Sans Regular';
export const BASEMAP_FONT_BOLD = 'Noto Sans Bold';

/** The GeoJSON files the style reads, under `${origin}/basemap/`. */
export const BASEMAP_DATA_FILES = [
	'countries.geojson',
	'countries-world.geojson',
	'country-labels.geojson',
	'water.geojson',
	'places.geojson'
] as const;

/**
 * The countries reaching into this box (west, south, east, north) are in countries.geojson,
 * loaded with the style: every usual first view of Iraq, phone to wide desktop, lies inside it.
 * The rest of the world (countries-world.geojson, ~88 kB on the wire against ~29 kB) is the
 * source WORLD_SOURCE, empty until a view reaches beyond the box (loadWorldWhenSeen in
 * world-countries.ts). Made by scripts/build-basemap.js, which has the same box.
 */
export const FIRST_VIEW_BOX = [30, 20, 60, 45] as const;
export const WORLD_SOURCE = 'countries-world';

/**
 * Data layers belong between the basemap's shapes and its labels: pass this as `beforeId` to
 * `map.addLayer` (or deck.gl's `beforeId`) so that place names stay readable on top.
 */
export const BASEMAP_FIRST_LABEL_LAYER_ID = 'place-dots';

// Unicode ranges as published by @fontsource for each subset file, so that each character is
// drawn from the file that has it: Arabic letters (and the presentation forms maplibre shapes
// them into) from Noto Sans Arabic, Latin from Noto Sans.
const ARABIC_RANGES = [
	'U+0600-06FF',
	'U+0750-077F',
	'U+0870-088E',
	'U+0890-0891',
	'U+0897-08E1',
	'U+08E3-08FF',
	'U+200C-200E',
	'U+2010-2011',
	'U+204F',
	'U+2E41',
	'U+FB50-FDFF',
	'U+FE70-FE74',
	'U+FE76-FEFC'
];
const LATIN_RANGES = [
	'U+0000-00FF',
	'U+0131',
	'U+0152-0153',
	'U+02BB-02BC',
	'U+02C6',
	'U+02DA',
	'U+02DC',
	'U+0304',
	'U+0308',
	'U+0329',
	'U+2000-206F',
	'U+20AC',
	'U+2122',
	'U+2191',
	'U+2193',
	'U+2212',
	'U+2215',
	'U+FEFF',
	'U+FFFD'
];
const LATIN_EXT_RANGES = [
	'U+0100-02BA',
	'U+02BD-02C5',
	'U+02C7-02CC',
	'U+02CE-02D7',
	'U+02DD-02FF',
	'U+1D00-1DBF',
	'U+1E00-1E9F',
	'U+1EF2-1EFF',
	'U+2020',
	'U+20A0-20AB',
	'U+20AD-20C0',
	'U+2113',
	'U+2C60-2C7F',
	'U+A720-A7FF'
];

/** The WOFF2 files under `${origin}/fonts/`, by weight. */
export const BASEMAP_FONT_FILES = {
	400: [
		{ file: 'noto-sans-arabic-arabic-400-normal.woff2', ranges: ARABIC_RANGES },
		{ file: 'noto-sans-latin-400-normal.woff2', ranges: LATIN_RANGES },
		{ file: 'noto-sans-latin-ext-400-normal.woff2', ranges: LATIN_EXT_RANGES }
	],
	700: [
		{ file: 'noto-sans-arabic-arabic-700-normal.woff2', ranges: ARABIC_RANGES },
		{ file: 'noto-sans-latin-700-normal.woff2', ranges: LATIN_RANGES },
		{ file: 'noto-sans-latin-ext-700-normal.woff2', ranges: LATIN_EXT_RANGES }
	]
} as const;

const COLORS = {
	water: '#d5e3ec',
	waterLine: '#a9c4d6',
	land: '#f1efea',
	iraq: '#fbfaf8',
	border: '#b5aea3',
	iraqBorder: '#55514b',
	iraqBorderCasing: '#ffffff',
	placeDot: '#5c5852',
	placeText: '#34312c',
	countryText: '#8b8479',
	halo: '#ffffff'
};

function normaliseOrigin(origin: string): string {
	let url: URL;
	try {
		url = new URL(origin);
	} catch {
		throw new Error(`basemapStyle: origin must be an absolute URL, got ${JSON.stringify(origin)}`);
	}
	// Keep a base path if the app is mounted under one; drop only the trailing slash.
	return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * `['match', key, k1, v1, …, fallback]` from a table, or just the fallback for an empty one. The
 * fallback must be a `coalesce`, never a bare `get`: inside `match` maplibre asserts a bare `get`
 * to be a string, and a missing property then blanks the whole label instead of falling through.
 */
function lookup(key: string, table: Readonly<Record<string, string>>, fallback: unknown): unknown {
	const pairs = Object.entries(table).flat();
	return pairs.length ? ['match', ['to-string', ['get', key]], ...pairs, fallback] : fallback;
}

/**
 * The label expression for a language, for our offline data (`name_en`, `name_ar`, `pcode`) and
 * for basemap packs in the OpenStreetMap manner (`name:ar`, `name:ckb`, `name:ku`, `name`):
 * - ar: the Arabic name, else the English one;
 * - ku: a Sorani name from the data or the pack, else from names-ckb.ts (by P-code, then by
 *   English name), else the English name;
 * - fr: a French name from the pack or from names-fr.ts, else the English name;
 * - en: the English name.
 * The pack's plain `name` (local language) is the last resort everywhere.
 */
export function nameField(lang: BasemapLang): TextField {
	const en: TextField = ['coalesce', ['get', 'name_en'], ['get', 'name:en'], ['get', 'name']];
	if (lang === 'ar') return ['coalesce', ['get', 'name_ar'], ['get', 'name:ar'], en] as TextField;
	if (lang === 'ku')
		return [
			'coalesce',
			['get', 'name_ckb'],
			['get', 'name:ckb'],
			['get', 'name:ku'],
			lookup('pcode', CKB_BY_PCODE, lookup('name_en', CKB_BY_PLACE, en))
		] as TextField;
	if (lang === 'fr')
		return ['coalesce', ['get', 'name:fr'], lookup('name_en', FR_BY_NAME, en)] as TextField;
	return en as TextField;
}

/** Arabic script: never upper-cased or letter-spaced (spacing breaks the joined letters apart). */
const arabicScript = (lang: BasemapLang) => lang === 'ar' || lang === 'ku';

export function basemapStyle(opts: BasemapOptions): StyleSpecification {
	const base = normaliseOrigin(opts.origin);
	const data = (file: (typeof BASEMAP_DATA_FILES)[number]) => `${base}/basemap/${file}`;
	const fontFaces: FontFaces = {
		[BASEMAP_FONT_REGULAR]: BASEMAP_FONT_FILES[400].map((f) => ({
			url: `${base}/fonts/${f.file}`,
			'unicode-range': [...f.ranges]
		})),
		[BASEMAP_FONT_BOLD]: BASEMAP_FONT_FILES[700].map((f) => ({
			url: `${base}/fonts/${f.file}`,
			'unicode-range': [...f.ranges]
		}))
	};
	const name = nameField(opts.lang);
	const isIraq: Filter = ['==', ['get', 'iso3'], 'IRQ'];

	const layers: Layer[] = [
		{ id: 'background', type: 'background', paint: { 'background-color': COLORS.water } },
		...(['countries', WORLD_SOURCE] as const).map((source): Layer => ({
			id: source === WORLD_SOURCE ? 'land-world' : 'land',
			type: 'fill',
			source,
			paint: { 'fill-color': COLORS.land, 'fill-antialias': false }
		})),
		{
			id: 'iraq-fill',
			type: 'fill',
			source: 'countries',
			filter: isIraq,
			paint: { 'fill-color': COLORS.iraq, 'fill-antialias': false }
		},
		{
			id: 'lakes',
			type: 'fill',
			source: 'water',
			filter: ['==', ['get', 'kind'], 'lake'],
			paint: { 'fill-color': COLORS.water, 'fill-outline-color': COLORS.waterLine }
		},
		{
			id: 'rivers',
			type: 'line',
			source: 'water',
			filter: ['==', ['get', 'kind'], 'river'],
			layout: { 'line-join': 'round', 'line-cap': 'round' },
			paint: {
				'line-color': COLORS.waterLine,
				// Natural Earth's stroke weight (0.15–1.2) scaled up as the map zooms in.
				'line-width': [
					'interpolate',
					['linear'],
					['zoom'],
					3,
					['*', 0.8, ['get', 'strokeweig']],
					8,
					['*', 3, ['get', 'strokeweig']]
				]
			}
		},
		// Country outlines, which also draw the coasts.
		...(['countries', WORLD_SOURCE] as const).map((source): Layer => ({
			id: source === WORLD_SOURCE ? 'country-borders-world' : 'country-borders',
			type: 'line',
			source,
			filter: ['!', isIraq],
			layout: { 'line-join': 'round' },
			paint: {
				'line-color': COLORS.border,
				'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.5, 6, 1, 10, 1.6]
			}
		})),
		{
			id: 'iraq-border-casing',
			type: 'line',
			source: 'countries',
			filter: isIraq,
			layout: { 'line-join': 'round' },
			paint: {
				'line-color': COLORS.iraqBorderCasing,
				'line-width': ['interpolate', ['linear'], ['zoom'], 3, 2.5, 6, 5, 10, 7],
				'line-opacity': 0.9
			}
		},
		{
			id: 'iraq-border',
			type: 'line',
			source: 'countries',
			filter: isIraq,
			layout: { 'line-join': 'round' },
			paint: {
				'line-color': COLORS.iraqBorder,
				'line-width': ['interpolate', ['linear'], ['zoom'], 3, 1, 6, 1.6, 10, 2.4]
			}
		},
		{
			id: BASEMAP_FIRST_LABEL_LAYER_ID,
			type: 'circle',
			source: 'places',
			minzoom: 4,
			filter: placeFilter(),
			paint: {
				'circle-color': COLORS.placeDot,
				'circle-radius': ['match', ['get', 'capital'], 2, 3.5, 1, 2.6, 2],
				'circle-stroke-color': COLORS.halo,
				'circle-stroke-width': 1
			}
		},
		{
			id: 'place-labels',
			type: 'symbol',
			source: 'places',
			minzoom: 4,
			filter: placeFilter(),
			layout: {
				'text-field': name,
				'text-font': [
					'case',
					['==', ['get', 'capital'], 2],
					['literal', [BASEMAP_FONT_BOLD]],
					['literal', [BASEMAP_FONT_REGULAR]]
				],
				'text-size': ['interpolate', ['linear'], ['get', 'pop_rank'], 8, 11, 11, 12, 13, 14],
				'text-variable-anchor': ['left', 'right', 'top', 'bottom'],
				'text-radial-offset': 0.45,
				'text-justify': 'auto',
				'text-max-width': 9,
				'text-padding': 3,
				// Lower keys are placed first: capitals, then the bigger towns.
				'symbol-sort-key': [
					'-',
					['*', 4, ['get', 'scalerank']],
					['+', ['get', 'pop_rank'], ['*', 10, ['get', 'capital']]]
				]
			},
			paint: {
				'text-color': COLORS.placeText,
				'text-halo-color': COLORS.halo,
				'text-halo-width': 1.4,
				'text-halo-blur': 0.3
			}
		},
		{
			id: 'country-labels',
			type: 'symbol',
			source: 'country-labels',
			filter: [
				'all',
				// Small countries only once the map is close enough for their names to fit.
				[
					'>=',
					['get', 'area_km2'],
					['step', ['zoom'], 500_000, 3, 100_000, 4, 20_000, 5, 3_000, 6, 0]
				],
				// Big neighbours have a second label near Iraq, used once zoomed in to the region.
				[
					'any',
					['==', ['get', 'scope'], 'all'],
					['==', ['get', 'scope'], ['step', ['zoom'], 'world', 5, 'region']]
				]
			],
			layout: {
				'text-field': name,
				'text-font': ['literal', [BASEMAP_FONT_BOLD]],
				'text-size': ['interpolate', ['linear'], ['zoom'], 2, 10, 5, 13, 8, 16],
				'text-letter-spacing': arabicScript(opts.lang) ? 0 : 0.12,
				'text-transform': arabicScript(opts.lang) ? 'none' : 'uppercase',
				'text-max-width': 7,
				'symbol-sort-key': ['-', ['get', 'area_km2']]
			},
			paint: {
				'text-color': COLORS.countryText,
				'text-halo-color': COLORS.halo,
				'text-halo-width': 1.2
			}
		}
	];

	return {
		version: 8,
		// No center/zoom here: the view belongs to the map component (and the URL). A camera in the
		// style made maplibre load tiles for it first and keep some of their labels after the jump.
		name: 'Terrain offline basemap',
		sources: {
			countries: { type: 'geojson', data: data('countries.geojson'), attribution: ATTRIBUTION },
			[WORLD_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
			'country-labels': { type: 'geojson', data: data('country-labels.geojson') },
			water: { type: 'geojson', data: data('water.geojson') },
			places: { type: 'geojson', data: data('places.geojson') }
		},
		'font-faces': fontFaces,
		layers
	};
}

const ATTRIBUTION =
	'Natural Earth · OCHA COD-AB / Open Admin Data (CC BY 4.0) · world-atlas · mapeo-offline-map';

/** Which places show at which zoom: Natural Earth's scalerank (0 = most important) by zoom. */
function placeFilter(): Filter {
	return [
		'any',
		['==', ['get', 'capital'], 2],
		['<=', ['get', 'scalerank'], ['step', ['zoom'], 5, 5, 8, 6, 9, 7, 10]]
	];
}

/** Where WORLD_SOURCE's countries come from (filled in by world-countries.ts). */
export const worldCountriesUrl = (origin: string) =>
	`${normaliseOrigin(origin)}/basemap/countries-world.geojson`;
