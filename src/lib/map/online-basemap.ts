// Online basemaps (issue 13, point 5: "An online style URL remains an option"): a MapLibre style
// JSON on another server (e.g. a hosted OpenMapTiles or Protomaps style) that an operator registers
// with `terrain basemap add-url URL` or on /admin/basemaps. The built-in basemap stays the default:
// the browser asks the online hosts for nothing until a user picks this basemap.
//
// Like a detailed offline basemap (pmtiles-style.ts), its layers are added *into* the map the
// page built, not swapped in with setStyle (which would drop every layer the page added): its
// shapes go under the data layers, its names above them, and the built-in basemap is hidden while
// it shows. Its names are written with the built-in fonts (`font-faces`, local files): Arabic and
// Kurdish are then shaped right to left as on the built-in map, and no glyph server is asked.
import type { StyleSpecification } from './basemap-style.ts';
import { BASEMAP_FONT_BOLD, BASEMAP_FONT_REGULAR } from './basemap-style.ts';
import type { BasemapInfo } from './pmtiles-style.ts';

type Layer = StyleSpecification['layers'][number];
type Source = StyleSpecification['sources'][string];

/** What the server keeps of an online basemap (GET /api/v1/basemaps lists it with the others). */
export interface OnlineBasemapInfo {
	id: string;
	kind: 'online';
	name: string;
	added: string;
	/** The style JSON's URL. */
	style: string;
	/**
	 * Every origin the style loads from (the style itself, its TileJSON and tiles, its sprite),
	 * found when it was added: the pages' Content-Security-Policy lets the browser reach these and
	 * no others.
	 */
	origins: string[];
}

/** Any basemap GET /api/v1/basemaps lists: a file the server serves, or an online style. */
export type AnyBasemap = BasemapInfo | OnlineBasemapInfo;

/** Ids of what an online style adds to the map carry this prefix (never clash with ours). */
export const ONLINE_PREFIX = 'online-';

/** A URL of the style (absolute, or relative to the style's own URL); `{z}`-style tokens kept. */
export function absoluteUrl(url: string, base: string): string {
	if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
	return new URL(url, base).href.replace(/%7B/gi, '{').replace(/%7D/gi, '}');
}

/** The URLs a style names for its sources, tiles and sprite (not glyphs: see the file's head). */
export function styleUrls(style: StyleSpecification, base: string): string[] {
	const out: string[] = [];
	for (const s of Object.values(style.sources ?? {}) as Record<string, unknown>[]) {
		if (typeof s.url === 'string') out.push(s.url);
		if (Array.isArray(s.tiles)) out.push(...s.tiles.filter((t) => typeof t === 'string'));
		if (Array.isArray(s.urls)) out.push(...s.urls.filter((t) => typeof t === 'string'));
	}
	const sprite = style.sprite;
	if (typeof sprite === 'string') out.push(sprite);
	else if (Array.isArray(sprite)) out.push(...sprite.map((x) => x.url));
	return out.map((u) => absoluteUrl(u, base));
}

/** Regular or bold built-in font for a style's font stack. */
function localFont(stack: unknown): unknown {
	if (!Array.isArray(stack) || !stack.every((f) => typeof f === 'string')) return stack;
	return [
		stack.some((f) => /bold|black|heavy|semibold/i.test(f))
			? BASEMAP_FONT_BOLD
			: BASEMAP_FONT_REGULAR
	];
}

export interface OnlineLayers {
	sources: [string, Source][];
	/** Shapes (background, fills, lines, rasters …), in the style's order, under the data layers. */
	shapes: Layer[];
	/** Symbols (names, icons), in the style's order, above the data layers. */
	labels: Layer[];
	/**
	 * The style's sprites, absolute. The map's own style has none, so a plain sprite URL becomes
	 * its `default` sprite and the layers' icon names need no prefix.
	 */
	sprites: { id: string; url: string }[];
}

/**
 * The style's sources and layers as they go into the page's map: ids prefixed, sources' and the
 * sprite's URLs made absolute, text fonts mapped to the built-in ones. A `mapbox://` URL cannot be
 * loaded without Mapbox's own client and is refused when the basemap is added (server side).
 */
export function onlineLayers(style: StyleSpecification, styleUrl: string): OnlineLayers {
	const sources: [string, Source][] = Object.entries(style.sources ?? {}).map(([id, s]) => {
		const src = { ...s } as Record<string, unknown>;
		if (typeof src.url === 'string') src.url = absoluteUrl(src.url, styleUrl);
		if (Array.isArray(src.tiles))
			src.tiles = src.tiles.map((t: string) => absoluteUrl(t, styleUrl));
		return [ONLINE_PREFIX + id, src as Source];
	});
	const shapes: Layer[] = [];
	const labels: Layer[] = [];
	for (const l of style.layers ?? []) {
		const copy = { ...l, id: ONLINE_PREFIX + l.id } as Record<string, unknown>;
		if (typeof copy.source === 'string') copy.source = ONLINE_PREFIX + copy.source;
		if (l.type === 'symbol') {
			const layout = { ...(l.layout ?? {}) } as Record<string, unknown>;
			if ('text-field' in layout)
				layout['text-font'] = localFont(layout['text-font'] ?? ['Regular']);
			copy.layout = layout;
			labels.push(copy as Layer);
		} else shapes.push(copy as Layer);
	}
	const sprite = style.sprite;
	return {
		sources,
		shapes,
		labels,
		sprites:
			typeof sprite === 'string'
				? [{ id: 'default', url: absoluteUrl(sprite, styleUrl) }]
				: Array.isArray(sprite)
					? sprite.map((x) => ({ id: x.id, url: absoluteUrl(x.url, styleUrl) }))
					: []
	};
}
