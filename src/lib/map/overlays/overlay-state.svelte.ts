// The overlays the map knows about: the list the caller sees (theirs and the organisation's) and
// the features of those switched on, fetched once each. The panel and the map layer share it.
import {
	deleteOverlay,
	listOverlays,
	overlayFeatures,
	setVisibility,
	uploadOverlay,
	type OverlayCollection,
	type OverlaySummary,
	type UploadInput
} from './api.ts';
import type { OverlayVisibility } from '../../domain/overlays.ts';

export class OverlayState {
	list = $state.raw<OverlaySummary[] | null>(null);
	listError = $state<string | null>(null);
	/** Features by overlay id, for those switched on. */
	features = $state.raw<Record<string, OverlayCollection>>({});
	/** Overlays in the URL that could not be loaded (deleted, or private to someone else). */
	missing = $state.raw<string[]>([]);
	// Which overlays were asked for: a plain record, not state (nothing renders it, and ensure()
	// runs inside the page's effect, which must not come to depend on its own bookkeeping).
	#asked: Record<string, true> = {};

	async refresh() {
		try {
			this.list = await listOverlays();
			this.listError = null;
		} catch (e) {
			this.listError = e instanceof Error ? e.message : String(e);
		}
	}

	/** Loads the features of the overlays switched on (each once). */
	ensure(ids: readonly string[]) {
		for (const id of ids) {
			if (this.#asked[id]) continue;
			this.#asked[id] = true;
			overlayFeatures(id)
				.then((fc) => (this.features = { ...this.features, [id]: fc }))
				.catch(() => {
					delete this.#asked[id];
					if (!this.missing.includes(id)) this.missing = [...this.missing, id];
				});
		}
	}

	async upload(u: UploadInput): Promise<OverlaySummary> {
		const o = await uploadOverlay(u);
		await this.refresh();
		return o;
	}

	async share(id: string, visibility: OverlayVisibility) {
		await setVisibility(id, visibility);
		await this.refresh();
	}

	async remove(id: string) {
		await deleteOverlay(id);
		const rest = { ...this.features };
		delete rest[id];
		this.features = rest;
		delete this.#asked[id];
		await this.refresh();
	}
}
