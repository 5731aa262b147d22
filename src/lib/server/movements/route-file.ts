/**
 * A movement's route from a file: KML, KMZ, GPX or GeoJSON, read on the server with the import
 * module's tools (@tmcw/togeojson over @xmldom/xmldom, the same refusal of DOCTYPE/entities, the
 * same guarded KMZ inflation) so that the page, the API and the CLI read a file alike. The first
 * line (LineString / MultiLineString) is the route; PostGIS checks it again when the plan is saved.
 * A file without a line is refused with a message naming the file and the features it holds.
 */
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { gpx, kml } from '@tmcw/togeojson';
import { readZipEntry } from '../import/geo.ts';
import { importLimits } from '../import/types.ts';
import { FilterError } from '../../domain/filters.ts';

export type RouteLine =
	| { type: 'LineString'; coordinates: number[][] }
	| { type: 'MultiLineString'; coordinates: number[][][] };

export interface RouteFromFile {
	route: RouteLine;
	/** The file's name: the plan's route_source. */
	source: string;
	/** The line's name in the file, when it has one. */
	name: string | null;
	/** How many lines the file holds (the first is used). */
	lines: number;
}

interface Feat {
	type?: string;
	geometry?: Geom | null;
	properties?: Record<string, unknown> | null;
	features?: Feat[];
}
interface Geom {
	type?: string;
	coordinates?: unknown;
	geometries?: Geom[];
}

/** The features of a parsed document, flattened (a Feature, a collection, or a bare geometry). */
function featuresOf(doc: unknown): Feat[] {
	const d = doc as Feat & Geom;
	if (!d || typeof d !== 'object') return [];
	if (d.type === 'FeatureCollection') return (d.features ?? []).flatMap(featuresOf);
	if (d.type === 'Feature') return [d];
	if (typeof d.type === 'string') return [{ type: 'Feature', geometry: d, properties: {} }];
	return [];
}

/** The line in a geometry (a GeometryCollection's first line too). */
function lineOf(g: Geom | null | undefined): RouteLine | null {
	if (!g) return null;
	if (g.type === 'LineString' || g.type === 'MultiLineString') return g as RouteLine;
	if (g.type === 'GeometryCollection')
		for (const x of g.geometries ?? []) {
			const l = lineOf(x);
			if (l) return l;
		}
	return null;
}

const label = (f: Feat, i: number) => {
	const n = f.properties?.name;
	return `${typeof n === 'string' && n.trim() ? `"${n.trim()}"` : `#${i + 1}`} (${f.geometry?.type ?? 'no geometry'})`;
};

/** The route line of the features found in `file`, or a FilterError naming the file and them. */
export function pickLine(file: string, features: Feat[]): RouteFromFile {
	const lines = features
		.map((f) => ({ f, line: lineOf(f.geometry) }))
		.filter((x): x is { f: Feat; line: RouteLine } => x.line !== null);
	if (!lines.length) {
		const shown = features.slice(0, 5).map(label).join(', ');
		const more = features.length > 5 ? ` and ${features.length - 5} more` : '';
		throw new FilterError(
			'file',
			features.length
				? `${file}: no line to use as a route; its ${features.length} feature(s) are ${shown}${more}. Draw the route, or export it as a track or path`
				: `${file}: no features at all, so no line to use as a route`
		);
	}
	const n = lines[0].f.properties?.name;
	return {
		route: lines[0].line,
		source: file,
		name: typeof n === 'string' && n.trim() ? n.trim() : null,
		lines: lines.length
	};
}

function parseXml(file: string, text: string): Document {
	if (/<!DOCTYPE|<!ENTITY/i.test(text))
		throw new FilterError(
			'file',
			`${file}: the XML declares a DOCTYPE or entities, which KML and GPX never need; refused`
		);
	try {
		return new DOMParser({
			onError: (level: string, message: string) => {
				if (level !== 'warning') throw new Error(message);
			}
		}).parseFromString(text, 'text/xml') as unknown as Document;
	} catch (e) {
		throw new FilterError('file', `${file}: not well-formed XML (${(e as Error).message})`);
	}
}

/** Reads a route file by its name's extension (.kml, .kmz, .gpx, .geojson or .json). */
export async function routeFromFile(file: string, bytes: Uint8Array): Promise<RouteFromFile> {
	return pickLine(file, await featuresFromFile(file, bytes));
}

export type ZonePolygon =
	| { type: 'Polygon'; coordinates: number[][][] }
	| { type: 'MultiPolygon'; coordinates: number[][][][] };

/**
 * A no-go zone's polygon from a KML, KMZ or GeoJSON file: the first Polygon / MultiPolygon (PostGIS
 * checks it again, a self-crossing one refused, when the zone is saved). A file without one is
 * refused with a message naming the file and the features it holds.
 */
export async function polygonFromFile(
	file: string,
	bytes: Uint8Array
): Promise<{ geometry: ZonePolygon; name: string | null; source: string }> {
	const features = await featuresFromFile(file, bytes);
	const f = features.find(
		(x) => x.geometry?.type === 'Polygon' || x.geometry?.type === 'MultiPolygon'
	);
	if (!f) {
		const shown = features.slice(0, 5).map(label).join(', ');
		throw new FilterError(
			'file',
			features.length
				? `${file}: no polygon to use as a zone; its ${features.length} feature(s) are ${shown}`
				: `${file}: no features at all, so no polygon to use as a zone`
		);
	}
	const n = f.properties?.name;
	return {
		geometry: f.geometry as ZonePolygon,
		name: typeof n === 'string' && n.trim() ? n.trim() : null,
		source: file
	};
}

/** The features of a KML, KMZ, GPX or GeoJSON file, by its name's extension. */
async function featuresFromFile(file: string, bytes: Uint8Array): Promise<Feat[]> {
	const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase() ?? '';
	let text: string;
	if (ext === 'kmz') {
		const path = join(tmpdir(), `terrain-route-${randomUUID()}.kmz`);
		await writeFile(path, bytes);
		try {
			const buf = await readZipEntry(
				path,
				importLimits(),
				(names) =>
					names.find((n) => n.toLowerCase() === 'doc.kml') ?? names.find((n) => /\.kml$/i.test(n)),
				'KMZ'
			);
			text = buf.toString('utf8');
		} catch (e) {
			throw new FilterError('file', `${file}: ${(e as Error).message}`);
		} finally {
			await rm(path, { force: true });
		}
	} else {
		text = Buffer.from(bytes).toString('utf8');
	}
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	if (!text.trim()) throw new FilterError('file', `${file}: the file is empty`);
	if (ext === 'kml' || ext === 'kmz' || ext === 'gpx') {
		const doc = parseXml(file, text);
		const root = doc.documentElement?.localName?.toLowerCase();
		const want = ext === 'gpx' ? 'gpx' : 'kml';
		if (root !== want)
			throw new FilterError(
				'file',
				`${file}: not ${want.toUpperCase()} (the document element is <${root ?? '?'}>)`
			);
		return featuresOf(want === 'gpx' ? gpx(doc as never) : kml(doc as never));
	}
	if (ext === 'geojson' || ext === 'json') {
		let doc: unknown;
		try {
			doc = JSON.parse(text);
		} catch (e) {
			throw new FilterError('file', `${file}: not valid JSON (${(e as Error).message})`);
		}
		return featuresOf(doc);
	}
	throw new FilterError('file', `${file}: give a .kml, .kmz, .gpx or .geojson file`);
}
