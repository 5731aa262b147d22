/**
 * The "low data" switch (issue 14): on a poor link the map asks only for what a movement
 * decision needs — incidents and checkpoints — and skips the optional layers (sites, area
 * outlines and shading, actors). A per-device choice, kept in localStorage (wiped at sign-out).
 * Which layers stay is in low-data-layers.ts.
 */
const KEY = 'terrain.lowData';

class LowData {
	on = $state(typeof localStorage !== 'undefined' && localStorage.getItem(KEY) === '1');

	set(value: boolean) {
		this.on = value;
		if (value) localStorage.setItem(KEY, '1');
		else localStorage.removeItem(KEY);
	}
}

export const lowData = new LowData();
