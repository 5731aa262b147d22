// The map's camera worked out without maplibre (Web Mercator, 512-px tiles, no pitch or bearing,
// as the maps here are): the map page asks for its first view's incidents while maplibre itself is
// still on the wire (issue 14: the first map on a field link), then builds the map on the very
// camera it asked for, so the view maplibre reports is the same request, not a second one.
import type { Bbox } from './scales.ts';
import type { ViewChange } from './types.ts';

/** The zooms every map here allows. */
export const MAP_ZOOMS: [number, number] = [2, 17];

const TILE = 512;
const RAD = Math.PI / 180;
const x = (lon: number) => (lon + 180) / 360;
const y = (lat: number) => (180 - Math.log(Math.tan(Math.PI / 4 + (lat * RAD) / 2)) / RAD) / 360;
const lon = (x: number) => x * 360 - 180;
const lat = (y: number) => (2 * Math.atan(Math.exp((180 - y * 360) * RAD))) / RAD - 90;

export interface Camera {
	center: [number, number];
	zoom: number;
}

/** The camera that fits `bbox` into a `width` × `height` map with `padding` pixels all round. */
export function fitCamera(
	bbox: Bbox,
	width: number,
	height: number,
	padding: number,
	zoomRange: [number, number]
): Camera {
	const [w, s, e, n] = bbox;
	const scale = Math.min(
		(width - 2 * padding) / ((x(e) - x(w)) * TILE),
		(height - 2 * padding) / ((y(s) - y(n)) * TILE)
	);
	const zoom = Math.min(Math.max(Math.log2(scale), zoomRange[0]), zoomRange[1]);
	return { center: [lon((x(w) + x(e)) / 2), lat((y(n) + y(s)) / 2)], zoom };
}

/** What a `width` × `height` map shows from `camera`: west, south, east, north. */
export function cameraBbox({ center, zoom }: Camera, width: number, height: number): Bbox {
	const world = TILE * 2 ** zoom;
	const cx = x(center[0]) * world;
	const cy = y(center[1]) * world;
	return [
		lon((cx - width / 2) / world),
		lat((cy + height / 2) / world),
		lon((cx + width / 2) / world),
		lat((cy - height / 2) / world)
	];
}

/**
 * A view's box as the map reports it: to 5 decimals (about a metre), the precision the API is
 * asked in, so that the box worked out here and the one maplibre computes for the same camera
 * (different floating-point paths) are the same request.
 */
export const reportedBbox = (b: Bbox): Bbox => b.map((n) => Number(n.toFixed(5))) as Bbox;

/**
 * The view a map in `container` will open on (`view`, or `fit` framed with 16 px around it), to
 * report before maplibre has loaded; null if the container has no size. Worked out once the page's
 * fonts are in (they arrive before its code on a slow link): a header that wraps differently in
 * the fallback font changes the map's size, and the view maplibre reports would be another request.
 */
export async function firstView(
	container: HTMLElement,
	view: Camera | null,
	fit: Bbox
): Promise<ViewChange | null> {
	await document.fonts?.ready;
	const [w, h] = [container.clientWidth, container.clientHeight];
	if (!w || !h) return null;
	const camera = view ?? fitCamera(fit, w, h, 16, MAP_ZOOMS);
	return { ...camera, bbox: reportedBbox(cameraBbox(camera, w, h)) };
}
