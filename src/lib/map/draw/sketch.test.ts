import { describe, expect, it } from 'vitest';
import {
	addVertex,
	clear,
	closeRing,
	emptySketch,
	finish,
	pixelsToDegrees,
	setMode,
	sketchFromGeometry,
	toGeometry,
	undo,
	validateGeometry,
	validateSketch,
	type LngLat,
	type Sketch
} from './sketch.ts';
import { bufferPreview } from './buffer-preview.ts';

const draw = (mode: Sketch['mode'], pts: LngLat[], tolerance = 0) =>
	pts.reduce((s, p) => addVertex(s, p, tolerance), emptySketch(mode));
// Around Mosul: a square, and a "bow tie" whose edges cross.
const SQUARE: LngLat[] = [
	[43.0, 36.3],
	[43.2, 36.3],
	[43.2, 36.4],
	[43.0, 36.4]
];
const BOW_TIE: LngLat[] = [
	[43.0, 36.3],
	[43.2, 36.4],
	[43.2, 36.3],
	[43.0, 36.4]
];

describe('a sketch', () => {
	it('adds vertices, rounded to 5 decimals, and ignores a repeated click (the two clicks of a double-click)', () => {
		const s = draw('line', [
			[43.123456789, 36.1],
			[43.123456789, 36.1],
			[43.2, 36.2]
		]);
		expect(s.vertices).toEqual([
			[43.12346, 36.1],
			[43.2, 36.2]
		]);
		// within the tolerance counts as the same click
		expect(addVertex(s, [43.20001, 36.20001], 0.001).vertices).toHaveLength(2);
		expect(addVertex(s, [43.3, 36.3], 0.001).vertices).toHaveLength(3);
	});

	it('undoes the last vertex, and reopens a finished polygon before taking vertices back', () => {
		const s = finish(draw('polygon', SQUARE));
		expect(s.done).toBe(true);
		const reopened = undo(s);
		expect(reopened).toMatchObject({ done: false, vertices: SQUARE });
		expect(undo(reopened).vertices).toEqual(SQUARE.slice(0, 3));
		expect(undo(undo(undo(undo(reopened)))).vertices).toEqual([]);
		expect(undo(emptySketch()).vertices).toEqual([]);
	});

	it('finishes only with enough vertices: a line needs 2, a polygon 3', () => {
		expect(finish(draw('line', [SQUARE[0]])).done).toBe(false);
		expect(finish(draw('line', SQUARE.slice(0, 2))).done).toBe(true);
		expect(finish(draw('polygon', SQUARE.slice(0, 2))).done).toBe(false);
		expect(finish(draw('polygon', SQUARE.slice(0, 3))).done).toBe(true);
		// the same vertex twice is one vertex
		expect(finish(draw('polygon', [SQUARE[0], SQUARE[1], SQUARE[0]])).done).toBe(false);
	});

	it('takes no vertex once finished; clear starts again in the same mode', () => {
		const s = finish(draw('line', SQUARE.slice(0, 2)));
		expect(addVertex(s, [44, 35]).vertices).toHaveLength(2);
		expect(clear(s)).toEqual({ mode: 'line', vertices: [], done: false });
	});

	it('closes a polygon when the first vertex is clicked again, and closes its ring in GeoJSON', () => {
		const s = addVertex(draw('polygon', SQUARE, 0.001), [43.0001, 36.3001], 0.001);
		expect(s.done).toBe(true);
		expect(s.vertices).toHaveLength(4);
		const g = toGeometry(s)!;
		expect(g.type).toBe('Polygon');
		const ring = (g as unknown as { coordinates: LngLat[][] }).coordinates[0];
		expect(ring).toHaveLength(5);
		expect(ring[4]).toEqual(ring[0]);
		expect(closeRing([...SQUARE, SQUARE[0]])).toHaveLength(5); // already closed: unchanged
	});

	it('places a point at one click and moves it at the next', () => {
		const s = addVertex(emptySketch('point'), [43.1, 36.3]);
		expect(s.done).toBe(true);
		expect(toGeometry(addVertex(s, [44, 33]))).toEqual({ type: 'Point', coordinates: [44, 33] });
	});

	it('keeps the vertices when switching between line and polygon', () => {
		const s = draw('line', SQUARE);
		expect(setMode(s, 'polygon').vertices).toEqual(SQUARE);
		expect(setMode(s, 'point')).toMatchObject({ vertices: [SQUARE[0]], done: true });
	});
});

describe('validation', () => {
	it('refuses too few vertices with the minimum', () => {
		expect(validateSketch(emptySketch('polygon'))).toEqual({ ok: false, reason: 'empty' });
		expect(validateSketch(draw('line', [SQUARE[0]]))).toEqual({
			ok: false,
			reason: 'too_few',
			min: 2
		});
		expect(validateSketch(draw('polygon', SQUARE.slice(0, 2)))).toEqual({
			ok: false,
			reason: 'too_few',
			min: 3
		});
		expect(validateSketch(draw('line', SQUARE.slice(0, 2))).ok).toBe(true);
	});

	it('refuses a polygon that crosses itself (turf kinks), and accepts the same corners in order', () => {
		expect(validateSketch(draw('polygon', BOW_TIE))).toEqual({
			ok: false,
			reason: 'self_intersecting'
		});
		const ok = validateSketch(draw('polygon', SQUARE));
		expect(ok.ok).toBe(true);
		expect(ok.ok && ok.geometry.type).toBe('Polygon');
	});

	it('refuses a polygon with no area (all vertices on one line)', () => {
		expect(
			validateSketch(
				draw('polygon', [
					[43, 36],
					[43.1, 36.1],
					[43.2, 36.2]
				])
			)
		).toEqual({ ok: false, reason: 'no_area' });
	});

	it('validates pasted GeoJSON: features, multi-geometries, wrong types, out-of-range coordinates', () => {
		expect(
			validateGeometry({
				type: 'Feature',
				properties: {},
				geometry: { type: 'Point', coordinates: [43.13, 36.34] }
			}).ok
		).toBe(true);
		expect(
			validateGeometry({
				type: 'MultiPolygon',
				coordinates: [[closeRing(SQUARE)], [closeRing(BOW_TIE)]]
			})
		).toEqual({ ok: false, reason: 'self_intersecting' });
		expect(validateGeometry({ type: 'GeometryCollection', geometries: [] })).toEqual({
			ok: false,
			reason: 'unsupported'
		});
		expect(validateGeometry({ type: 'Point', coordinates: ['a', 1] })).toEqual({
			ok: false,
			reason: 'not_geojson'
		});
		expect(validateGeometry({ type: 'Point', coordinates: [36.34, 243.13] })).toEqual({
			ok: false,
			reason: 'out_of_range'
		});
		expect(validateGeometry([1, 2])).toEqual({ ok: false, reason: 'not_geojson' });
	});

	it('turns a one-ring polygon back into an editable sketch', () => {
		const s = sketchFromGeometry(toGeometry(finish(draw('polygon', SQUARE))));
		expect(s).toEqual({ mode: 'polygon', vertices: SQUARE, done: true });
		expect(sketchFromGeometry({ type: 'Polygon', coordinates: [closeRing(BOW_TIE)] })).toBeNull();
	});
});

describe('buffer preview', () => {
	it('grows a point by the distance (turf buffer), about 2 × km wide', () => {
		const [b] = bufferPreview({ type: 'Point', coordinates: [43.13, 36.34] }, 10);
		const lats = (b.geometry as unknown as { coordinates: LngLat[][] }).coordinates[0].map(
			(p) => p[1]
		);
		const height = (Math.max(...lats) - Math.min(...lats)) * 111.0;
		expect(height).toBeGreaterThan(19.5);
		expect(height).toBeLessThan(20.5);
		expect(bufferPreview(null, 10)).toEqual([]);
		expect(bufferPreview({ type: 'Point', coordinates: [43, 36] }, 0)).toEqual([]);
	});

	it('converts pixels to degrees for the click tolerance', () => {
		expect(pixelsToDegrees(512, 0)).toBe(360);
		expect(pixelsToDegrees(4, 10)).toBeCloseTo(0.00275, 5);
	});
});
