// Where an overlay feature's name is written: a point at the point, a line at its middle vertex,
// a polygon at the middle of its largest ring's box. Precomputed so that each feature carries one
// label (maplibre would repeat a line's label along it, and a polygon's at every tile edge).
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { featureLabel } from './api.ts';

function middle(coords: Position[]): Position {
	return coords[Math.floor(coords.length / 2)];
}

function boxCentre(ring: Position[]): { at: Position; size: number } {
	let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
	for (const [x, y] of ring) {
		w = Math.min(w, x);
		e = Math.max(e, x);
		s = Math.min(s, y);
		n = Math.max(n, y);
	}
	return { at: [(w + e) / 2, (s + n) / 2], size: (e - w) * (n - s) };
}

export function labelPoint(g: Geometry | null): Position | null {
	if (!g) return null;
	switch (g.type) {
		case 'Point':
			return g.coordinates;
		case 'MultiPoint':
			return g.coordinates[0] ?? null;
		case 'LineString':
			return g.coordinates.length ? middle(g.coordinates) : null;
		case 'MultiLineString': {
			const longest = [...g.coordinates].sort((a, b) => b.length - a.length)[0];
			return longest?.length ? middle(longest) : null;
		}
		case 'Polygon':
			return g.coordinates[0]?.length ? boxCentre(g.coordinates[0]).at : null;
		case 'MultiPolygon': {
			const boxes = g.coordinates.filter((p) => p[0]?.length).map((p) => boxCentre(p[0]));
			return boxes.sort((a, b) => b.size - a.size)[0]?.at ?? null;
		}
		case 'GeometryCollection':
			return g.geometries.map(labelPoint).find((p) => p) ?? null;
	}
}

/** One labelled point per feature that has a name. */
export function labelPoints(fc: FeatureCollection, labelField: string | null): FeatureCollection {
	const features: Feature[] = [];
	for (const f of fc.features) {
		const name = featureLabel(f.properties, labelField);
		const at = labelPoint(f.geometry);
		if (name && at) {
			features.push({
				type: 'Feature',
				properties: { label: name },
				geometry: { type: 'Point', coordinates: at }
			});
		}
	}
	return { type: 'FeatureCollection', features };
}
