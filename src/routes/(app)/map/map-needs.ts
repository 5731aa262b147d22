// What a map state needs fetched, handed to MapData (which skips what it has or is loading, and
// aborts what a newer state replaced). The page calls these on every state change.
import { SITE_KINDS } from '$lib/domain/taxonomy';
import type { ViewChange } from '$lib/map/types';
import type { MapUrlState } from '$lib/map/url-state';
import type { MapData } from './map-data.svelte';
import { tilesFit } from './viewport-plan';

/** A district's P-code is longer than a governorate's (IQG08 vs IQG08Q01). */
const districtCode = (p: string | null) => !!p && p.length > 5;

/** The incidents of the view, the site registries and area outlines on show, the opened incident. */
export function fetchForView(mapData: MapData, st: MapUrlState, viewport: ViewChange | null) {
	if (viewport) {
		mapData.update({
			bbox: viewport.bbox,
			zoom: viewport.zoom,
			filters: st,
			mode: st.mode,
			enabled: st.layers.has('incidents'),
			tiles: tilesFit(st)
		});
	}
	for (const kind of SITE_KINDS) {
		if (st.layers.has(kind) || st.selected?.kind === kind) mapData.ensureSites(kind);
	}
	if (st.layers.has('governorates') || st.area || st.selected?.kind === 'area')
		mapData.ensureAreas(1);
	if (
		st.layers.has('districts') ||
		districtCode(st.area) ||
		(st.selected?.kind === 'area' && districtCode(st.selected.id))
	) {
		mapData.ensureAreas(2);
	}
	mapData.loadIncident(st.selected?.kind === 'incident' ? st.selected.id : null);
}

/**
 * The layers that follow the filters but not the viewport. The actor layers and the security
 * levels show what stands on `asOf` (the end of the period, or today); the baseline, like
 * /analysis/baseline, on `baselineAsOf` (the newest incident when no end is set: "today" would
 * compare empty weeks for data that stops in the past).
 */
export function fetchContext(
	mapData: MapData,
	st: MapUrlState,
	asOf: string,
	baselineAsOf: string | null
) {
	const sel = st.selected?.kind;
	if (st.layers.has('actor_presence') || sel === 'actor')
		mapData.loadPresence({ asOf, types: st.actorTypes });
	if (st.layers.has('actor_arcs') || sel === 'relationship' || sel === 'confrontation')
		mapData.loadArcs({ asOf, kinds: st.relKinds, types: st.actorTypes, area: st.area });
	if (st.layers.has('area_levels')) {
		mapData.ensureAreas(2);
		mapData.loadLevels(asOf);
	}
	if (st.layers.has('area_baseline')) {
		mapData.ensureAreas(2);
		if (!st.to) mapData.ensureLatestIncident();
		if (baselineAsOf) mapData.loadBaseline(baselineAsOf);
	}
}
