/**
 * The "low data" switch (issue 14): on a poor link the map asks only for what a movement
 * decision needs — incidents and checkpoints — and skips the optional layers (sites, area
 * outlines and shading, actors). A per-device choice, kept in localStorage (wiped at sign-out).
 */
import type { MapLayerId, MapUrlState } from '$lib/map/url-state';

const KEY = 'terrain.lowData';
export const ESSENTIAL_LAYERS: readonly MapLayerId[] = ['incidents', 'checkpoints'];

class LowData {
	on = $state(typeof localStorage !== 'undefined' && localStorage.getItem(KEY) === '1');

	set(value: boolean) {
		this.on = value;
		if (value) localStorage.setItem(KEY, '1');
		else localStorage.removeItem(KEY);
	}
}

export const lowData = new LowData();

/** The map state with only the essential layers, when the switch is on. */
export function withoutOptional(state: MapUrlState, on: boolean): MapUrlState {
	if (!on) return state;
	return {
		...state,
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a fresh value each time, never mutated
		layers: new Set([...state.layers].filter((l) => ESSENTIAL_LAYERS.includes(l)))
	};
}
