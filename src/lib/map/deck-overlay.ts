// deck.gl on the map: its overlay, interleaved into maplibre's WebGL context, and the layer
// classes the layer components draw with. Loaded by MapView only once a layer has something to
// draw with it (MapContext.wantDeck): a first map of sites and incident tiles does without it.
import type { PickingInfo } from '@deck.gl/core';
import type { MapLibreOverlay } from '@deck.gl/maplibre';
import type { DeckClasses } from './map-context.svelte.ts';

export interface DeckEvents {
	/** The object under the pointer (null when none), with its layer's id and the pixel. */
	onHover(info: PickingInfo): void;
	/** The cursor for deck.gl's state (dragging; a pickable object under the pointer). */
	cursor(state: { isDragging: boolean; isHovering: boolean }): string;
}

export async function loadDeck(events: DeckEvents): Promise<{
	overlay: MapLibreOverlay;
	classes: DeckClasses;
}> {
	const [{ MapLibreOverlay }, classes] = await Promise.all([
		import('@deck.gl/maplibre'),
		import('./deck-classes.ts')
	]);
	const overlay = new MapLibreOverlay({
		interleaved: true,
		// Interleaved, deck.gl's defaults write its symbols into maplibre's depth buffer, which
		// maplibre's labels (drawn after them) are tested against. A flat map needs no depth:
		// layers paint in order, data under the labels. Defensive: issue 14's "labels under
		// the symbols" did not reproduce without this line (tests/e2e/map-labels.test.ts passes
		// either way at its view), so the cause reported there is not proven to be this.
		parameters: { depthWriteEnabled: false, depthCompare: 'always' },
		layers: [],
		pickingRadius: 4,
		onHover: events.onHover,
		getCursor: events.cursor
	});
	return { overlay, classes };
}
