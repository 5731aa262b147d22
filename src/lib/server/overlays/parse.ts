/**
 * An overlay file (KML, KMZ, GeoJSON or GPX) → GeoJSON features, with the import's guards against
 * bad input (../import/geo.ts: no DOCTYPE/entities, zip-bomb and size limits, JSON depth). Unlike
 * an import, lines and polygons are kept: an overlay is a road, a route or a zone. Vertices are
 * capped per feature and per file (the request caps), and every error names the file and the
 * feature. PostGIS checks each geometry again when the overlay is stored (85_overlays.sql).
 */
import { FilterError } from '../../domain/filters.ts';
import { MAX_VERTICES, countVertices } from '../api/limits.ts';
import { geojsonFeatures, gpxFeatures, kmlFeatures, kmzKml, type Feature } from '../import/geo.ts';
import { ImportError, importLimits } from '../import/types.ts';

/** Most vertices in one overlay (each feature: MAX_VERTICES). */
export const OVERLAY_MAX_VERTICES = 10 * MAX_VERTICES;
export const OVERLAY_FORMATS = ['kml', 'kmz', 'geojson', 'gpx'] as const;
export type OverlayFormat = (typeof OVERLAY_FORMATS)[number];

const GEOMETRY_TYPES = new Set([
	'Point',
	'MultiPoint',
	'LineString',
	'MultiLineString',
	'Polygon',
	'MultiPolygon',
	'GeometryCollection'
]);

export interface OverlayFeature {
	type: 'Feature';
	properties: Record<string, unknown>;
	geometry: { type: string };
}

/** The format of a file, by its name, else by its first bytes. */
export function overlayFormat(name: string, bytes: Buffer): OverlayFormat | null {
	const ext = /\.([a-z]+)$/i.exec(name)?.[1]?.toLowerCase();
	if (ext === 'kml' || ext === 'kmz' || ext === 'gpx') return ext;
	if (ext === 'geojson' || ext === 'json') return 'geojson';
	if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'kmz';
	const head = bytes.subarray(0, 2000).toString('utf8');
	if (/<kml[\s>]/i.test(head)) return 'kml';
	if (/<gpx[\s>]/i.test(head)) return 'gpx';
	if (/^\s*[{[]/.test(head)) return 'geojson';
	return null;
}

const featureName = (f: Feature, i: number) => {
	const p = f.properties ?? {};
	const n = p.name ?? p.Name ?? p.title;
	return `feature ${i + 1}${typeof n === 'string' && n ? ` (${n.slice(0, 80)})` : ''}`;
};

/** The features of an overlay file; a FilterError on the `file` field names what is wrong. */
export async function overlayFeatures(name: string, bytes: Buffer): Promise<OverlayFeature[]> {
	const fail = (message: string): never => {
		throw new FilterError('file', `${name}: ${message}`);
	};
	const format = overlayFormat(name, bytes);
	if (!format) return fail('not a KML, KMZ, GeoJSON or GPX file');
	const limits = importLimits({ maxRows: 10_000 });
	const read = async (): Promise<Feature[]> => {
		if (format === 'geojson') return geojsonFeatures(bytes, limits);
		if (format === 'gpx') return gpxFeatures(bytes, limits);
		if (format === 'kml') return kmlFeatures(bytes, limits);
		return kmlFeatures(await kmzKml(bytes, limits), limits);
	};
	const raw = await read().catch((e: unknown) =>
		e instanceof ImportError ? fail(e.message) : Promise.reject(e)
	);
	const out: OverlayFeature[] = [];
	let total = 0;
	raw.forEach((f, i) => {
		// A placemark without a geometry (a folder note) draws nothing: skipped, not an error.
		if (!f || typeof f !== 'object' || !f.geometry) return;
		const type = f.geometry.type ?? '';
		if (!GEOMETRY_TYPES.has(type)) fail(`${featureName(f, i)}: geometry type "${type}" is unknown`);
		const n = countVertices(f.geometry);
		if (n > MAX_VERTICES)
			fail(
				`${featureName(f, i)}: ${n} vertices; at most ${MAX_VERTICES} per feature (simplify it)`
			);
		total += n;
		if (total > OVERLAY_MAX_VERTICES)
			fail(`more than ${OVERLAY_MAX_VERTICES} vertices in all; simplify the file`);
		const properties: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(f.properties ?? {}))
			properties[k] = v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
		out.push({ type: 'Feature', properties, geometry: f.geometry as { type: string } });
	});
	if (!out.length) fail('no features with a geometry');
	return out;
}
