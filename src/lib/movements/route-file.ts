/**
 * A route from a file: KML, GPX (@tmcw/togeojson) or GeoJSON. The first line found is the route;
 * PostGIS checks it again when the plan is saved. Runs in the browser (DOMParser).
 */
import { gpx, kml } from '@tmcw/togeojson';
import type { Geometry, LineString, MultiLineString } from 'geojson';

export type RouteLine = LineString | MultiLineString;

function firstLine(g: unknown): RouteLine | null {
	if (!g || typeof g !== 'object') return null;
	const o = g as {
		type?: string;
		geometry?: unknown;
		features?: unknown[];
		geometries?: unknown[];
	};
	if (o.type === 'LineString' || o.type === 'MultiLineString') return o as RouteLine;
	if (o.type === 'Feature') return firstLine(o.geometry);
	for (const x of o.features ?? o.geometries ?? []) {
		const l = firstLine(x);
		if (l) return l;
	}
	return null;
}

/** The route line in a file, or null (not a line / not a format we read). */
export async function routeFromFile(file: File): Promise<RouteLine | null> {
	const text = await file.text();
	const name = file.name.toLowerCase();
	if (name.endsWith('.kml') || name.endsWith('.gpx')) {
		const doc = new DOMParser().parseFromString(text, 'text/xml');
		return firstLine(name.endsWith('.kml') ? kml(doc) : gpx(doc));
	}
	try {
		return firstLine(JSON.parse(text) as Geometry);
	} catch {
		return null;
	}
}
