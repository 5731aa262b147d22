// Pure sizing and geometry helpers shared by the layers, the legend and the data loader, so the
// legend always shows the same sizes the map draws.

export type Bbox = [west: number, south: number, east: number, north: number];

/**
 * Incident radius in pixels from fatalities. Area grows with fatalities (a square-root scale,
 * the cartographic convention for proportional symbols), so 100 deaths do not hide a town.
 */
export function incidentRadius(fatalities: number): number {
	return Math.min(2.5 + 1.2 * Math.sqrt(Math.max(0, fatalities)), 22);
}

/** IDP camp radius in pixels from population (square-root scale: area ∝ people). */
export function campRadius(population: number | null | undefined): number {
	if (!population || population <= 0) return 5;
	return Math.min(5 + Math.sqrt(population) / 12, 40);
}

/**
 * The density grid for a zoom: the Web Mercator grid of 2^k cells a side whose cells are about
 * CELL_PIXELS screen pixels (512-pixel tiles), given as the width the API takes, 360 / 2^k
 * degrees of longitude. It is the cell rollup's grid (incidents_density), so the server sums
 * cells instead of reading incidents; the cell, and the request, change only at whole zoom levels.
 */
export const CELL_PIXELS = 10;
export function densityCell(zoom: number): number {
	const k = Math.round(zoom + Math.log2(512 / CELL_PIXELS));
	// The API accepts 0.001–5 degrees: 2^7 to 2^18 cells a side.
	return 360 / 2 ** Math.min(Math.max(k, 7), 18);
}

// Web Mercator's y in degrees (as longitude is x), and back.
const mercatorY = (lat: number) =>
	(Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) * 180) / Math.PI;
const latitudeOf = (y: number) => (Math.atan(Math.sinh((y * Math.PI) / 180)) * 180) / Math.PI;

/**
 * The density cell centred on (lon, lat), `cell` degrees of longitude wide, as a polygon: square
 * on the map (in Web Mercator, so its edges are not equally far north and south of the centre
 * in degrees), scaled by `scale` about its centre.
 */
export function densityCellSquare(
	lon: number,
	lat: number,
	cell: number,
	scale = 1
): [number, number][] {
	const h = (cell / 2) * scale;
	const y = mercatorY(lat);
	const [s, n] = [latitudeOf(y - h), latitudeOf(y + h)];
	return [
		[lon - h, s],
		[lon + h, s],
		[lon + h, n],
		[lon - h, n]
	];
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
	return (
		outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3]
	);
}

/** Same test as PostGIS `geom && envelope` for a point: inside or on the edge. */
export function inBbox([w, s, e, n]: Bbox, lon: number, lat: number): boolean {
	return lon >= w && lon <= e && lat >= s && lat <= n;
}

/** "rgb(…)" for an [r, g, b] colour, for the legend. */
export function cssColour([r, g, b]: readonly number[], alpha = 1): string {
	return alpha === 1 ? `rgb(${r} ${g} ${b})` : `rgb(${r} ${g} ${b} / ${alpha})`;
}

/**
 * Class limits for a quantile colour scale: up to `classes - 1` ascending values; a value falls
 * into class i when exactly i limits are below it. Quantiles keep every colour in use whatever the
 * skew (a few cells in Baghdad or Mosul hold most incidents); duplicates collapse into one class.
 */
export function quantileBreaks(values: readonly number[], classes: number): number[] {
	if (values.length === 0) return [];
	const sorted = [...values].sort((a, b) => a - b);
	const max = sorted[sorted.length - 1];
	const out: number[] = [];
	for (let i = 1; i < classes; i++) {
		const v = sorted[Math.min(sorted.length - 1, Math.floor((i / classes) * sorted.length))];
		if (v < max && (out.length === 0 || v > out[out.length - 1])) out.push(v);
	}
	return out;
}

export function classOf(value: number, breaks: readonly number[]): number {
	let i = 0;
	while (i < breaks.length && value > breaks[i]) i++;
	return i;
}

/** The legend's ranges for whole-number counts, e.g. [[1, 3], [4, 12], [13, 250]]. */
export function classRanges(breaks: readonly number[], max: number): [number, number][] {
	const ranges: [number, number][] = [];
	let lo = 1;
	for (const b of breaks) {
		ranges.push([lo, b]);
		lo = b + 1;
	}
	ranges.push([lo, Math.max(lo, max)]);
	return ranges;
}

/** Density classes, light to dark (ColorBrewer YlOrRd without its palest step, which vanishes on the basemap). */
export const DENSITY_COLOURS: [number, number, number][] = [
	[254, 217, 118],
	[254, 178, 76],
	[253, 141, 60],
	[252, 78, 42],
	[227, 26, 28],
	[177, 0, 38]
];

/** The colour of class i of n: fewer classes than colours take the darker end. */
export function densityColour(i: number, n: number): [number, number, number] {
	const k = DENSITY_COLOURS.length;
	return DENSITY_COLOURS[Math.max(0, Math.min(k - 1, k - n + i))];
}
