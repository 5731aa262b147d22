// The map page's handle on its place and further filters: reads them from the URL state and
// writes changes back through the page's setUrl, so the page needs one line for all of them.
import type { SpatialFilter } from '$lib/domain/spatial-filter';
import type { MoreFilters } from '$lib/domain/refine-filters';
import { parseRefine, refineQuery, type MapRefine } from '$lib/map/map-refine';
import { areaParam, type MapUrlState } from '$lib/map/url-state';
import type { PointStyle } from '$lib/map/point-style';
import { SpatialDraw } from './spatial-draw.svelte';

export class MapFilterState {
	readonly spatial: SpatialDraw;
	#current: () => string | undefined;
	#setUrl: (patch: Partial<MapUrlState>) => void;

	/** `current` gives the URL's refinement as last written; `setUrl` is the page's URL writer. */
	constructor(current: () => string | undefined, setUrl: (patch: Partial<MapUrlState>) => void) {
		this.#current = current;
		this.#setUrl = setUrl;
		this.spatial = new SpatialDraw((place) => this.setPlace(place));
	}

	#write(refine: string) {
		this.#setUrl({ refine });
	}

	setStyle(pointStyle: PointStyle) {
		this.#setUrl({ pointStyle });
	}

	get #now(): MapRefine {
		return parseRefine(this.#current());
	}

	/** A new place (null: none); "exact locations only" stays as it was. */
	setPlace(place: SpatialFilter | null) {
		const r = this.#now;
		const precise = r.place.preciseOnly ? { preciseOnly: true } : {};
		this.#write(refineQuery({ more: r.more, place: { ...(place ?? {}), ...precise } }));
	}

	setPrecise(on: boolean) {
		const r = this.#now;
		const place = { ...r.place };
		if (on) place.preciseOnly = true;
		else delete place.preciseOnly;
		this.#write(refineQuery({ more: r.more, place }));
	}

	/** The admin areas of the filter (area=, one P-code or several); [] for none. */
	setAreas(codes: readonly string[]) {
		this.#setUrl({ area: areaParam(codes) });
	}

	setMore(more: MoreFilters) {
		this.#write(refineQuery({ place: this.#now.place, more }));
	}

	clear() {
		this.spatial.cancel();
		this.#write('');
	}
}
