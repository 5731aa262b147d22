// Pure sizing and geometry helpers shared by the layers, the legend and the data loader, so the
// legend always shows the same sizes the map draws.

export type Bbox = [west: number, south: number, east: number, north: number];

/**
 * Incident radius in pixels from fatalities. Area grows with fatalities (a square-root scale,
 * the cartographic convention for proportional symbols), so 100 deaths do not hide a town.
 */
export function incidentRadius(fatalities: number): number {
	return Math.min(3 + 1.6 * Math.sqrt(Math.max(0, fatalities)), 28);
}

/** IDP camp radius in pixels from population (square-root scale: area ∝ people). */
export function campRadius(population: number | null | undefined): number {
	if (!population || population <= 0) return 5;
	return Math.min(5 + Math.sqrt(population) / 12, 40);
}

/**
 * The density grid cell in degrees for a zoom: about CELL_PIXELS screen pixels, rounded to a power
 * of two so that the cell (and the request) only changes when the zoom crosses a whole level.
 */
export const CELL_PIXELS = 10;
export function densityCell(zoom: number): number {
	const degPerPixel = 360 / (512 * 2 ** zoom);
	const cell = 2 ** Math.round(Math.log2(degPerPixel * CELL_PIXELS));
	return Math.min(Math.max(cell, 1 / 1024), 2);
}

/** A bbox grown by `fraction` of its size on every side, clamped to the Web Mercator world. */
export function expandBbox([w, s, e, n]: Bbox, fraction: number): Bbox {
	const dx = (e - w) * fraction;
	const dy = (n - s) * fraction;
	return clampBbox([w - dx, s - dy, e + dx, n + dy]);
}

export function clampBbox([w, s, e, n]: Bbox): Bbox {
	return [Math.max(w, -180), Math.max(s, -85), Math.min(e, 180), Math.min(n, 85)];
}

/** Rounds outwards to `digits` decimals so the bbox still covers what it covered. */
export function roundBboxOut([w, s, e, n]: Bbox, digits = 4): Bbox {
	const f = 10 ** digits;
	return [Math.floor(w * f) / f, Math.floor(s * f) / f, Math.ceil(e * f) / f, Math.ceil(n * f) / f];
}

export function bboxContains(outer: Bbox, inner: Bbox): boolean {
	return outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];
}

/** Same test as PostGIS `geom && envelope` for a point: inside or on the edge. */
export function inBbox([w, s, e, n]: Bbox, lon: number, lat: number): boolean {
	return lon >= w && lon <= e && lat >= s && lat <= n;
}

/** "rgb(…)" for an [r, g, b] colour, for the legend. */
export function cssColour([r, g, b]: readonly number[], alpha = 1): string {
	return alpha === 1 ? `rgb(${r} ${g} ${b})` : `rgb(${r} ${g} ${b} / ${alpha})`;
}
