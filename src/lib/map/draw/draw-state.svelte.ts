// The drawing tool's state for one map: the sketch (pure, see sketch.ts), where the pointer is
// (for the rubber-band segment to it) and the map's pointer events and keys turned into steps.
// The page owns one and hands `pointer` to MapView's onmapclick while drawing.
import type { MapPointer } from '../types.ts';
import * as S from './sketch.ts';

/** Clicks closer than this (pixels) to the last vertex, or to the first one of a polygon, are on it. */
const SNAP_PIXELS = 6;

export class DrawState {
	sketch = $state.raw<S.Sketch>(S.emptySketch('polygon'));
	hover = $state.raw<S.LngLat | null>(null);
	/** Set by the page when a drawn geometry was refused (e.g. on submit); cleared by any edit. */
	refused = $state<S.Validation | null>(null);
	onchange?: (s: S.Sketch) => void;

	constructor(mode: S.DrawMode = 'polygon', onchange?: (s: S.Sketch) => void) {
		this.sketch = S.emptySketch(mode);
		this.onchange = onchange;
	}

	readonly validation = $derived(S.validateSketch(this.sketch));
	readonly geometry = $derived(S.toGeometry(this.sketch));
	readonly canFinish = $derived(!this.sketch.done && S.finish(this.sketch).done);

	#set(s: S.Sketch) {
		if (s === this.sketch) return;
		this.sketch = s;
		this.refused = null;
		this.onchange?.(s);
	}

	/** Replaces the sketch without reporting it (e.g. from a pasted geometry). */
	load(s: S.Sketch) {
		this.sketch = s;
		this.refused = null;
	}

	/** MapView's onmapclick: a click adds a vertex, a double-click finishes, a move drags the rubber band. */
	pointer = (e: MapPointer) => {
		if (e.type === 'move') {
			this.hover = this.sketch.done ? null : e.lngLat;
			return;
		}
		const tolerance = S.pixelsToDegrees(SNAP_PIXELS, e.zoom);
		if (e.type === 'click') this.#set(S.addVertex(this.sketch, e.lngLat, tolerance));
		else this.finish();
	};

	undo = () => this.#set(S.undo(this.sketch));
	finish = () => {
		this.#set(S.finish(this.sketch));
		if (this.sketch.done) this.hover = null;
	};
	clear = () => {
		this.#set(S.clear(this.sketch));
		this.hover = null;
	};
	setMode = (mode: S.DrawMode) => this.#set(S.setMode(this.sketch, mode));

	/** Keys while the map or the drawing toolbar has focus: Enter finishes, Escape clears, Backspace / Ctrl+Z undoes. */
	keydown = (e: KeyboardEvent) => {
		const target = e.target as HTMLElement | null;
		if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
		if (e.key === 'Escape') this.clear();
		else if (e.key === 'Enter' && target?.tagName !== 'BUTTON') this.finish();
		else if (e.key === 'Backspace' || ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z'))
			this.undo();
		else return;
		e.preventDefault();
	};
}
