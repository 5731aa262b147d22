/**
 * The drawn preview of a distance around a geometry. Its own module because turf's buffer brings
 * JSTS (~57 kB gzipped): the map loads it only once a circle or corridor is on screen, so the
 * first map on a field link does not pay for it (issue 14).
 */
import { buffer } from '@turf/turf';
import type { Feature, Geometry, MultiPolygon, Polygon } from 'geojson';

/**
 * The area within `km` of a geometry, for drawing only: turf's buffer is planar around the
 * geometry's centre, close to but not exactly PostGIS's geodesic distance, which decides.
 */
export function bufferPreview(
	geometry: Geometry | Geometry[] | null,
	km: number
): Feature<Polygon | MultiPolygon>[] {
	if (!geometry || !(km > 0)) return [];
	const list = Array.isArray(geometry) ? geometry : [geometry];
	const out: Feature<Polygon | MultiPolygon>[] = [];
	for (const g of list) {
		const b = buffer({ type: 'Feature', properties: {}, geometry: g }, km, {
			units: 'kilometers',
			steps: 16
		});
		if (b?.geometry) out.push(b as Feature<Polygon | MultiPolygon>);
	}
	return out;
}
