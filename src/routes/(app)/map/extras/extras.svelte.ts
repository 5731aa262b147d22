// What the overlays and the rate shading need, fetched for the URL's state. Kept apart from
// map-data.svelte.ts (the incident layers), which is large enough.
import type { MapUrlState } from '$lib/map/url-state';
import { rateQuery } from '$lib/map/area-rates';
import { OverlayState } from '$lib/map/overlays/overlay-state.svelte';
import { RateData } from '$lib/map/rate-data.svelte';

export class MapExtras {
	ov = new OverlayState();
	rates = new RateData();

	constructor() {
		void this.ov.refresh();
	}

	sync(s: MapUrlState) {
		this.ov.ensure(s.overlays ?? []);
		// The whole filter the points honour (place and further filters included): rateQuery.
		this.rates.load(rateQuery(s));
	}

	destroy() {
		this.rates.destroy();
	}
}
