// The rest of the world's countries, put into the basemap's empty WORLD_SOURCE once a view of the
// map reaches beyond FIRST_VIEW_BOX (issue 14: a first map of Iraq on a field link does not fetch
// them). The style itself (basemap-style.ts) only declares the source.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { FIRST_VIEW_BOX, WORLD_SOURCE, worldCountriesUrl } from './basemap-style.ts';

/**
 * Fills WORLD_SOURCE once a view of `map` reaches beyond FIRST_VIEW_BOX (now, or after a move).
 * Returns a function that stops watching.
 */
export function loadWorldWhenSeen(map: MapLibreMap, origin: string): () => void {
	const [w, s, e, n] = FIRST_VIEW_BOX;
	const check = () => {
		const source = map.getSource<GeoJSONSource>(WORLD_SOURCE);
		if (!source) return; // the style is not in yet: its load calls this again
		const b = map.getBounds();
		if (b.getWest() >= w && b.getSouth() >= s && b.getEast() <= e && b.getNorth() <= n) return;
		source.setData(worldCountriesUrl(origin));
		stop();
	};
	const stop = () => {
		map.off('moveend', check);
		map.off('style.load', check);
	};
	map.on('moveend', check);
	map.on('style.load', check);
	check();
	return stop;
}
