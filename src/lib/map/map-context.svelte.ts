// What MapView shares with the layer components inside it: the maplibre map once its style has
// loaded, the deck.gl layer classes once they are loaded (browser only), and a registry where each
// layer component puts its current deck.gl layer. MapView hands the registry's layers to the
// overlay in a fixed order, so the drawing order does not depend on which component ran first.
import { dir, type Locale } from '$lib/i18n';
import { getContext, setContext, untrack } from 'svelte';
import type { Layer } from '@deck.gl/core';
import type { MapLibreOverlay } from '@deck.gl/maplibre';
import type { MapGeoJSONFeature, Map as MapLibreMap } from 'maplibre-gl';
import type { Selection } from './url-state.ts';
import type { IconAtlas } from './icons.ts';
import { BASEMAP_FIRST_LABEL_LAYER_ID } from './basemap-style.ts';
import { handlerRegistry } from './handlers.ts';

/**
 * An empty, hidden maplibre layer that MapView puts just under the basemap's place names once the
 * style is in. deck.gl draws its layers just under it; maplibre-drawn data goes under deck.gl's
 * group (or under this anchor while deck.gl is not loaded), and the site symbols, which sit above
 * every other data layer, go between it and the place names. deck.gl keeps its group right under
 * its `beforeId` (it moves the group back there on each change), so the sites need a layer of
 * their own to stay above it.
 */
export const DECK_ANCHOR = 'terrain-deck-anchor';

/**
 * Spread into every deck.gl layer's props: with the interleaved overlay, deck.gl draws the layer
 * just before this maplibre layer, i.e. above the basemap's shapes and under its place names.
 * (`beforeId` is read by @deck.gl/maplibre but is missing from deck.gl's prop types.)
 */
export const UNDER_LABELS = { beforeId: DECK_ANCHOR } as Record<never, never>;

/** Where a maplibre-drawn data layer goes: under deck.gl's layers, whether or not they exist yet. */
export function underDeck(map: MapLibreMap): string {
	const group = `deck-maplibre-layer-group-before:${DECK_ANCHOR}`;
	return map.getLayer(group) ? group : DECK_ANCHOR;
}

/** Where the site symbols go: above deck.gl's layers, under the place names. */
export const ABOVE_DECK = BASEMAP_FIRST_LABEL_LAYER_ID;

/** The deck.gl layer classes the map draws with, listed once in deck-classes.ts. */
export type DeckClasses = typeof import('./deck-classes.ts');

/** Bottom to top. Sites sit above incidents so they stay visible and clickable among them. */
export const DECK_SLOTS = [
	// Area fills (security levels, baseline flags) lie under everything else.
	'area-levels',
	'area-baseline',
	// Incidents per 100,000 people (issue 13): an area shading like the two above.
	'area-rates',
	'actor-presence',
	'incident-density',
	// The map's place filter (a drawn circle, shape or corridor), under the incidents it selects.
	'place-filter',
	'camp-areas',
	'incidents',
	// Incidents picked out from elsewhere (a hovered chart bar, a proximity result).
	'incident-highlight',
	'health_facilities',
	'idp_camps',
	'checkpoints',
	'org_sites',
	// Arcs span the country: above the points so they stay visible, under the selection halo.
	'actor-arcs',
	'selection',
	// A place filter being drawn: on top, so its vertices stay visible.
	'place-sketch'
] as const;
export type DeckSlot = (typeof DECK_SLOTS)[number];

/** How a layer's picked object becomes a selection and a hover label. */
export interface PickHandlers {
	select(object: unknown): Selection | null;
	tooltip(object: unknown): string | null;
}

/** How a feature of a maplibre layer (not deck.gl) answers a click and a hover. */
export interface MapFeatureHandlers {
	/** A selection, or undefined when the click did its own thing (e.g. zoomed in). */
	click(feature: MapGeoJSONFeature, map: MapLibreMap): Selection | undefined;
	tooltip(feature: MapGeoJSONFeature): string | null;
	/** Drawn above deck.gl's layers (the sites): a click or hover finds it before them. */
	aboveDeck?: boolean;
}

export class MapContext {
	map = $state.raw<MapLibreMap | null>(null);
	/**
	 * The map as soon as its style is in (sources and layers can be added), before the basemap's
	 * data, fonts and first frame that `map` waits for: a layer whose data maplibre fetches itself
	 * (vector tiles) starts its requests here, beside the basemap's, not after them.
	 */
	styled = $state.raw<MapLibreMap | null>(null);
	/** Bumped by a maplibre-drawn layer whose data changed, so MapView waits for it to be drawn. */
	drawn = $state(0);
	deck = $state.raw<DeckClasses | null>(null);
	/**
	 * Set by the first layer component with something to draw with deck.gl: MapView loads deck.gl
	 * (some 220 kB on the wire) only then, so a map of sites and incident tiles, the first map of
	 * a large area, never downloads it.
	 */
	deckWanted = $state(false);
	/** The site symbols, drawn once into a canvas when the map mounts. */
	icons = $state.raw<IconAtlas | null>(null);
	#locale: () => Locale;

	constructor(locale: () => Locale) {
		this.#locale = locale;
	}

	/** The interface language, for names on the map (reactive: read from the i18n context). */
	get lang() {
		return this.#locale();
	}
	/** Arabic and Kurdish: names in Arabic script, never upper-cased or letter-spaced. */
	get rtl() {
		return dir(this.#locale()) === 'rtl';
	}
	#layers = $state.raw<Partial<Record<DeckSlot, Layer | null>>>({});
	#pick = handlerRegistry<PickHandlers>();
	/** The maplibre layers that a click may select (areas), topmost first. */
	clickableMapLayers = $state.raw<string[]>([]);

	layers: Layer[] = $derived(DECK_SLOTS.map((s) => this.#layers[s]).filter((l): l is Layer => !!l));

	setLayer(slot: DeckSlot, layer: Layer | null, pick?: PickHandlers) {
		if (layer && pick) this.#pick.set(layer.id, pick);
		if (untrack(() => this.#layers[slot]) === layer) return;
		this.#layers = { ...untrack(() => this.#layers), [slot]: layer };
	}

	/** Asks MapView for deck.gl (from an effect: a component that has data to draw with it). */
	wantDeck() {
		if (!untrack(() => this.deckWanted)) this.deckWanted = true;
	}

	pickHandlers(layerId: string): PickHandlers | undefined {
		return this.#pick.get(layerId);
	}

	#features = handlerRegistry<MapFeatureHandlers>();
	/** maplibre layers with click and hover handlers (checked before the areas), topmost first. */
	featureLayers = $state.raw<string[]>([]);

	setFeatureLayers(ids: string[], handlers: MapFeatureHandlers | null) {
		const rest = untrack(() => this.featureLayers).filter((l) => !ids.includes(l));
		for (const id of ids) {
			if (handlers) this.#features.set(id, handlers);
			else this.#features.delete(id);
		}
		this.featureLayers = handlers ? [...ids, ...rest] : rest;
	}

	/** The topmost feature of these layers (site symbols, incident tiles) within 3 px of a point. */
	featureAt(map: MapLibreMap, { x, y }: { x: number; y: number }) {
		const layers = this.featureLayers.filter((id) => map.getLayer(id));
		if (!layers.length) return null;
		const box: [[number, number], [number, number]] = [
			[x - 3, y - 3],
			[x + 3, y + 3]
		];
		const [f] = map.queryRenderedFeatures(box, { layers });
		const handlers = f ? this.#features.get(f.layer.id) : undefined;
		return f && handlers ? { f, handlers } : null;
	}

	/**
	 * What a click at a point selects, topmost first: a site symbol (drawn above deck.gl), then
	 * deck.gl's layers, then the other maplibre feature layers, then the areas (the smaller area,
	 * a district before its governorate). null: nothing; undefined: the click did its own thing.
	 */
	selectionAt(
		map: MapLibreMap,
		overlay: MapLibreOverlay | null,
		point: { x: number; y: number }
	): Selection | null | undefined {
		const hit = this.featureAt(map, point);
		const info = hit?.handlers.aboveDeck
			? null
			: overlay?.pickObject({ x: point.x, y: point.y, radius: 5 });
		const handlers = info?.layer ? this.pickHandlers(info.layer.id) : undefined;
		if (info?.object && handlers) return handlers.select(info.object);
		if (hit) return hit.handlers.click(hit.f, map) ?? undefined;
		if (!this.clickableMapLayers.length) return null;
		const hits = map.queryRenderedFeatures([point.x, point.y], { layers: this.clickableMapLayers });
		const best = hits.sort((a, b) => Number(b.properties.level) - Number(a.properties.level))[0];
		return best ? { kind: 'area', id: String(best.properties.pcode) } : null;
	}

	addClickable(id: string, on: boolean) {
		// Called from effects: reading the list must not make them depend on it.
		const rest = untrack(() => this.clickableMapLayers).filter((l) => l !== id);
		this.clickableMapLayers = on ? [id, ...rest] : rest;
	}
}

const KEY = Symbol('terrain-map');
export const setMapContext = (c: MapContext) => setContext(KEY, c);
export function getMapContext(): MapContext {
	const c = getContext<MapContext | undefined>(KEY);
	if (!c) throw new Error('map layer components must be placed inside <MapView>');
	return c;
}
