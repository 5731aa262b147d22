/**
 * Drawing on a map, as pure data: a sketch is a mode (point, line, polygon), the vertices clicked
 * so far and whether it is finished. Every step returns a new sketch (no mutation), so a Svelte
 * component can keep one in $state and deck.gl gets new data references. Validation uses turf so
 * what the browser refuses matches what PostGIS would refuse (a polygon that crosses itself is
 * not valid there either); the queries themselves stay in PostGIS.
 */
import { area, bbox as turfBbox, kinks } from '@turf/turf';
import type { Feature, Geometry, LineString, Point, Polygon } from 'geojson';

export type DrawMode = 'point' | 'line' | 'polygon';
export const DRAW_MODES: readonly DrawMode[] = ['point', 'line', 'polygon'];
export type LngLat = [number, number];

export interface Sketch {
	mode: DrawMode;
	vertices: LngLat[];
	/** A finished sketch takes no more vertices until it is cleared. */
	done: boolean;
}

/** Why a geometry cannot be used; each has a message in i18n (draw.invalid.<reason>). */
export type InvalidReason =
	| 'empty'
	| 'too_few'
	| 'self_intersecting'
	| 'no_area'
	| 'not_geojson'
	| 'unsupported'
	| 'out_of_range';

export type Validation =
	{ ok: true; geometry: Geometry } | { ok: false; reason: InvalidReason; min?: number };

/** The fewest distinct vertices each mode needs. */
export const MIN_VERTICES: Record<DrawMode, number> = { point: 1, line: 2, polygon: 3 };

/** 5 decimals ≈ 1 m: plenty for a click, and keeps a drawn geometry short enough for a URL. */
export const round = (n: number) => Math.round(n * 1e5) / 1e5;
const roundPt = (p: LngLat): LngLat => [round(p[0]), round(p[1])];
const same = (a: LngLat, b: LngLat, tolerance = 0) =>
	Math.abs(a[0] - b[0]) <= tolerance && Math.abs(a[1] - b[1]) <= tolerance;

export const emptySketch = (mode: DrawMode = 'polygon'): Sketch => ({
	mode,
	vertices: [],
	done: false
});

/**
 * Adds a clicked vertex. `tolerance` (degrees, from the zoom: a few pixels) makes the clicks of a
 * double-click count once, and a click on the first vertex of a polygon close it. A point is done
 * at its first click; clicking again moves it.
 */
export function addVertex(s: Sketch, p: LngLat, tolerance = 0): Sketch {
	const v = roundPt(p);
	if (s.mode === 'point') return { ...s, vertices: [v], done: true };
	if (s.done) return s;
	const last = s.vertices.at(-1);
	if (last && same(last, v, tolerance)) return s;
	if (
		s.mode === 'polygon' &&
		s.vertices.length >= MIN_VERTICES.polygon &&
		same(s.vertices[0], v, tolerance)
	) {
		return { ...s, done: true };
	}
	return { ...s, vertices: [...s.vertices, v] };
}

/** Takes back the last vertex (and reopens a finished line or polygon). */
export function undo(s: Sketch): Sketch {
	if (s.done && s.mode !== 'point') return { ...s, done: false };
	return { ...s, vertices: s.vertices.slice(0, -1), done: false };
}

/** Closes the sketch if it has enough vertices; otherwise returns it unchanged. */
export function finish(s: Sketch): Sketch {
	return distinct(s.vertices).length >= MIN_VERTICES[s.mode] ? { ...s, done: true } : s;
}

export const clear = (s: Sketch): Sketch => emptySketch(s.mode);

/** Changing the mode keeps the vertices that still make sense (all but a point's). */
export function setMode(s: Sketch, mode: DrawMode): Sketch {
	if (mode === s.mode) return s;
	if (mode === 'point')
		return { mode, vertices: s.vertices.slice(0, 1), done: s.vertices.length > 0 };
	return { mode, vertices: s.vertices.slice(), done: false };
}

function distinct(vs: LngLat[]): LngLat[] {
	const out: LngLat[] = [];
	for (const v of vs) if (!out.some((o) => same(o, v))) out.push(v);
	return out;
}

/** A polygon's ring, closed (first vertex repeated at the end) as GeoJSON wants it. */
export function closeRing(vs: LngLat[]): LngLat[] {
	if (!vs.length) return [];
	return same(vs[0], vs.at(-1)!) && vs.length > 1 ? vs.slice() : [...vs, vs[0]];
}

/** The sketch as GeoJSON (whether finished or not); null while it has no vertex. */
export function toGeometry(s: Sketch): Point | LineString | Polygon | null {
	if (!s.vertices.length) return null;
	if (s.mode === 'point') return { type: 'Point', coordinates: s.vertices[0] };
	if (s.mode === 'line') return { type: 'LineString', coordinates: s.vertices.slice() };
	return { type: 'Polygon', coordinates: [closeRing(s.vertices)] };
}

/** Validates the sketch as it would be sent (it need not be finished). */
export function validateSketch(s: Sketch): Validation {
	if (!s.vertices.length) return { ok: false, reason: 'empty' };
	if (distinct(s.vertices).length < MIN_VERTICES[s.mode])
		return { ok: false, reason: 'too_few', min: MIN_VERTICES[s.mode] };
	return validateGeometry(toGeometry(s));
}

const isPos = (p: unknown): p is LngLat =>
	Array.isArray(p) &&
	p.length >= 2 &&
	typeof p[0] === 'number' &&
	typeof p[1] === 'number' &&
	Number.isFinite(p[0]) &&
	Number.isFinite(p[1]);

/**
 * Validates any GeoJSON geometry or Feature a user may paste or draw: the types the proximity
 * query takes, enough vertices, longitude/latitude in range, and no polygon crossing itself.
 */
export function validateGeometry(input: unknown): Validation {
	if (input === null || input === undefined) return { ok: false, reason: 'empty' };
	if (typeof input !== 'object' || Array.isArray(input))
		return { ok: false, reason: 'not_geojson' };
	const o = input as { type?: unknown; geometry?: unknown; coordinates?: unknown };
	const g = (o.type === 'Feature' ? o.geometry : o) as {
		type?: unknown;
		coordinates?: unknown;
	} | null;
	if (!g || typeof g !== 'object') return { ok: false, reason: 'not_geojson' };
	const c = g.coordinates;
	const points: LngLat[] = [];
	const lines: LngLat[][] = [];
	const polys: LngLat[][][] = [];
	const asLine = (l: unknown) => (Array.isArray(l) && l.every(isPos) ? (l as LngLat[]) : null);
	const asPoly = (p: unknown) =>
		Array.isArray(p) && p.length > 0 && p.every((r) => asLine(r)) ? (p as LngLat[][]) : null;
	switch (g.type) {
		case 'Point':
			if (!isPos(c)) return { ok: false, reason: 'not_geojson' };
			points.push(c);
			break;
		case 'MultiPoint':
			if (!asLine(c) || !(c as LngLat[]).length) return { ok: false, reason: 'not_geojson' };
			points.push(...(c as LngLat[]));
			break;
		case 'LineString':
			if (!asLine(c)) return { ok: false, reason: 'not_geojson' };
			lines.push(c as LngLat[]);
			break;
		case 'MultiLineString':
			if (!Array.isArray(c) || !c.length || !c.every(asLine))
				return { ok: false, reason: 'not_geojson' };
			lines.push(...(c as LngLat[][]));
			break;
		case 'Polygon':
			if (!asPoly(c)) return { ok: false, reason: 'not_geojson' };
			polys.push(c as LngLat[][]);
			break;
		case 'MultiPolygon':
			if (!Array.isArray(c) || !c.length || !c.every(asPoly))
				return { ok: false, reason: 'not_geojson' };
			polys.push(...(c as LngLat[][][]));
			break;
		default:
			return { ok: false, reason: typeof g.type === 'string' ? 'unsupported' : 'not_geojson' };
	}
	const all = [...points, ...lines.flat(), ...polys.flat(2)];
	if (all.some(([x, y]) => x < -180 || x > 180 || y < -90 || y > 90))
		return { ok: false, reason: 'out_of_range' };
	for (const l of lines)
		if (distinct(l).length < 2) return { ok: false, reason: 'too_few', min: 2 };
	for (const p of polys) {
		for (const ring of p)
			if (distinct(ring).length < 3) return { ok: false, reason: 'too_few', min: 3 };
		const poly: Polygon = { type: 'Polygon', coordinates: p.map(closeRing) };
		if (kinks(poly).features.length > 0) return { ok: false, reason: 'self_intersecting' };
		// turf's spherical area of collinear lon/lat points is not exactly 0: compare in degrees.
		if (area(poly) <= 0 || Math.abs(planarArea(poly.coordinates[0] as LngLat[])) < 1e-10)
			return { ok: false, reason: 'no_area' };
	}
	return { ok: true, geometry: g as Geometry };
}

/** Shoelace area of a closed ring in square degrees (its sign is the winding). */
function planarArea(ring: LngLat[]): number {
	let a = 0;
	for (let i = 1; i < ring.length; i++)
		a += ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1];
	return a / 2;
}

/** Parses a pasted or URL geometry; null when it is not JSON. */
export function parseGeometry(text: string | null | undefined): unknown {
	if (!text?.trim()) return null;
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** A sketch to go on editing from a geometry (a Point, LineString or one-ring Polygon); else null. */
export function sketchFromGeometry(input: unknown): Sketch | null {
	const v = validateGeometry(input);
	if (!v.ok) return null;
	const g = v.geometry;
	if (g.type === 'Point') return { mode: 'point', vertices: [g.coordinates as LngLat], done: true };
	if (g.type === 'LineString')
		return { mode: 'line', vertices: g.coordinates as LngLat[], done: true };
	if (g.type === 'Polygon' && g.coordinates.length === 1) {
		const ring = g.coordinates[0] as LngLat[];
		return {
			mode: 'polygon',
			vertices: same(ring[0], ring.at(-1)!) ? ring.slice(0, -1) : ring.slice(),
			done: true
		};
	}
	return null;
}

/** west, south, east, north of some features; null when there are none. */
export function bboxOf(features: Feature[]): [number, number, number, number] | null {
	if (!features.length) return null;
	const b = turfBbox({ type: 'FeatureCollection', features });
	return [b[0], b[1], b[2], b[3]];
}

/** Degrees that `pixels` span at a zoom level (web mercator, 512-px tiles as maplibre uses). */
export const pixelsToDegrees = (pixels: number, zoom: number) => (pixels * 360) / (512 * 2 ** zoom);
