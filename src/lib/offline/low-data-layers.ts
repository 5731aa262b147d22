/** The layers the "low data" switch keeps (see low-data.svelte.ts), and the state it draws. */
import type { MapLayerId, MapUrlState } from '$lib/map/url-state';

export const ESSENTIAL_LAYERS: readonly MapLayerId[] = ['incidents', 'checkpoints'];

/** The map state with only the essential layers, when the switch is on. */
export function withoutOptional(state: MapUrlState, on: boolean): MapUrlState {
	if (!on) return state;
	return {
		...state,
		layers: new Set([...state.layers].filter((l) => ESSENTIAL_LAYERS.includes(l)))
	};
}
