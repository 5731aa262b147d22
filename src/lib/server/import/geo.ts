/**
 * GeoJSON, KML, KMZ and GPX → records (imports) or features (map overlays, which keep lines and
 * polygons: see ../overlays). These formats are documents, not row streams, so each is read
 * whole — within limits: a document larger than maxDocumentBytes, a KMZ with too many entries or
 * that would inflate past maxUncompressedBytes (or at a zip-bomb ratio), and XML with a DOCTYPE
 * (entity declarations are how billion-laughs and external-entity attacks start; KML never needs
 * one) are refused before parsing.
 */
import { DOMParser } from '@xmldom/xmldom';
import { gpx, kml } from '@tmcw/togeojson';
import yauzl from 'yauzl';
import { checkJsonDepth } from './bad-input.ts';
import {
	ImportError,
	megabytes,
	type ImportLimits,
	type RecordSource,
	type SourceRecord
} from './types.ts';

export interface Feature {
	type?: string;
	geometry?: { type?: string; coordinates?: unknown } | null;
	properties?: Record<string, unknown> | null;
	id?: unknown;
}

export async function readAll(
	source: AsyncIterable<Uint8Array>,
	max: number,
	what: string
): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let total = 0;
	for await (const c of source) {
		total += c.length;
		if (total > max) {
			throw new ImportError(
				`${what} is larger than ${megabytes(max)}, the limit for documents read whole (TERRAIN_IMPORT_MAX_DOCUMENT_MB)`
			);
		}
		chunks.push(Buffer.from(c));
	}
	return Buffer.concat(chunks);
}

function featureRecord(f: Feature, index: number): SourceRecord {
	const row = index + 1;
	const values: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(f.properties ?? {})) {
		values[k] = v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
	}
	if (f.id !== undefined && values.id === undefined) values.id = f.id;
	const rec: SourceRecord = { row, values, point: null };
	const g = f.geometry;
	if (!g) return rec; // no geometry: may still be placed by P-code or names
	let c: unknown = g.coordinates;
	if (g.type === 'MultiPoint' && Array.isArray(c) && c.length === 1) c = c[0];
	if (g.type === 'Point' || g.type === 'MultiPoint') {
		if (
			!Array.isArray(c) ||
			c.length < 2 ||
			typeof c[0] !== 'number' ||
			typeof c[1] !== 'number' ||
			!Number.isFinite(c[0]) ||
			!Number.isFinite(c[1])
		) {
			rec.problem = {
				row,
				column: 'geometry',
				reason: `invalid geometry: point coordinates ${JSON.stringify(c)?.slice(0, 60)} are not [longitude, latitude]`,
				level: 'error'
			};
			return rec;
		}
		rec.point = { lon: c[0], lat: c[1] };
		return rec;
	}
	rec.problem = {
		row,
		column: 'geometry',
		reason: `geometry type ${g.type ?? 'unknown'}: only points can be imported`,
		level: 'error'
	};
	return rec;
}

function featuresSource(container: RecordSource['container'], features: Feature[]): RecordSource {
	const cols = new Set<string>();
	for (const f of features.slice(0, 5000))
		for (const k of Object.keys(f.properties ?? {})) cols.add(k);
	if (features.some((f) => f.id !== undefined) && !cols.has('id')) cols.add('id');
	async function* records(): AsyncIterable<SourceRecord> {
		for (let i = 0; i < features.length; i++) yield featureRecord(features[i], i);
	}
	return { container, columns: [...cols], hxl: null, records: records() };
}

/** The features of a GeoJSON document (a FeatureCollection, a Feature or an array of them). */
export function geojsonFeatures(buf: Buffer, limits: ImportLimits): Feature[] {
	let text = buf.toString('utf8');
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	if (!text.trim()) throw new ImportError('the file is empty');
	checkJsonDepth(text);
	let doc: unknown;
	try {
		doc = JSON.parse(text);
	} catch (e) {
		throw new ImportError(`not valid JSON: ${(e as Error).message}`);
	}
	const d = doc as { type?: string; features?: unknown };
	let features: Feature[];
	if (d && d.type === 'FeatureCollection' && Array.isArray(d.features))
		features = d.features as Feature[];
	else if (d && d.type === 'Feature') features = [d as Feature];
	else if (Array.isArray(doc)) features = doc as Feature[];
	else throw new ImportError('not GeoJSON: expected a FeatureCollection or a Feature');
	if (features.length > limits.maxRows)
		throw new ImportError(
			`the file has more than ${limits.maxRows} features (TERRAIN_IMPORT_MAX_ROWS)`
		);
	return features;
}

export function geojsonSource(buf: Buffer, limits: ImportLimits): RecordSource {
	return featuresSource('geojson', geojsonFeatures(buf, limits));
}

/**
 * An XML document whose root element is `root`, refusing a DOCTYPE or entity declarations (KML
 * and GPX never need one; they are how XML bombs and external-entity attacks start).
 */
function parseXml(buf: Buffer, root: 'kml' | 'gpx'): Document {
	let text = buf.toString('utf8');
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	if (!text.trim()) throw new ImportError('the file is empty');
	if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
		throw new ImportError(
			`the XML declares a DOCTYPE or entities, which ${root.toUpperCase()} never needs; refused (this is how XML bombs and external-entity attacks work)`
		);
	}
	let doc: Document;
	try {
		doc = new DOMParser({
			onError: (level: string, message: string) => {
				if (level !== 'warning') throw new Error(message);
			}
		}).parseFromString(text, 'text/xml') as unknown as Document;
	} catch (e) {
		const m = /ParseError: |caused Error: /.test(String((e as Error).message))
			? String((e as Error).message)
					.split(/caused Error: /)
					.pop()
			: (e as Error).message;
		throw new ImportError(`not well-formed XML: ${m}`);
	}
	if (!doc.documentElement || doc.documentElement.localName?.toLowerCase() !== root) {
		throw new ImportError(`not ${root.toUpperCase()}: the document element is not <${root}>`);
	}
	return doc;
}

/** togeojson puts styling into properties; they are not data. */
function dropStyling(features: Feature[]): Feature[] {
	for (const f of features) {
		for (const k of Object.keys(f.properties ?? {}))
			if (/^(styleUrl|styleHash|styleMap|stroke|fill|icon|label-|visibility)/.test(k))
				delete f.properties![k];
	}
	return features;
}

/** The placemarks of a KML document as GeoJSON features (points, lines, polygons). */
export function kmlFeatures(buf: Buffer, limits: ImportLimits): Feature[] {
	const fc = kml(parseXml(buf, 'kml') as never, { skipNullGeometry: false });
	if (fc.features.length > limits.maxRows)
		throw new ImportError(`the file has more than ${limits.maxRows} placemarks`);
	return dropStyling(fc.features as Feature[]);
}

/** The waypoints, routes and tracks of a GPX document as GeoJSON features. */
export function gpxFeatures(buf: Buffer, limits: ImportLimits): Feature[] {
	const fc = gpx(parseXml(buf, 'gpx') as never);
	if (fc.features.length > limits.maxRows)
		throw new ImportError(`the file has more than ${limits.maxRows} features`);
	return dropStyling(fc.features as Feature[]);
}

export function kmlSource(
	buf: Buffer,
	limits: ImportLimits,
	container: 'kml' | 'kmz' = 'kml'
): RecordSource {
	return featuresSource(container, kmlFeatures(buf, limits));
}

/**
 * The KML inside a KMZ (doc.kml, else the first .kml at the top level), checked against the
 * limits. `file` is a path or the archive's bytes.
 */
export async function kmzKml(file: string | Buffer, limits: ImportLimits): Promise<Buffer> {
	return readZipEntry(
		file,
		limits,
		(names) =>
			names.find((n) => n.toLowerCase() === 'doc.kml') ?? names.find((n) => /\.kml$/i.test(n)),
		'KMZ'
	);
}

export async function kmzSource(path: string, limits: ImportLimits): Promise<RecordSource> {
	return kmlSource(await kmzKml(path, limits), limits, 'kmz');
}

function openZip(file: string | Buffer): Promise<yauzl.ZipFile> {
	const options = {
		lazyEntries: true,
		autoClose: false,
		validateEntrySizes: true,
		strictFileNames: false
	};
	return new Promise((resolve, reject) => {
		const done = (err: Error | null, zip?: yauzl.ZipFile) =>
			err ? reject(new ImportError(`not a valid zip archive: ${err.message}`)) : resolve(zip!);
		if (typeof file === 'string') yauzl.open(file, options, done);
		else yauzl.fromBuffer(file, options, done);
	});
}

/**
 * Lists an archive's entries (refusing too many, too large in total, or compressed at a zip-bomb
 * ratio), then inflates the one chosen, counting bytes as they come.
 */
export async function readZipEntry(
	path: string | Buffer,
	limits: ImportLimits,
	choose: (names: string[]) => string | undefined,
	what: string
): Promise<Buffer> {
	const zip = await openZip(path);
	try {
		if (zip.entryCount > limits.maxZipEntries) {
			throw new ImportError(
				`the ${what} has ${zip.entryCount} entries, more than the limit of ${limits.maxZipEntries} (TERRAIN_IMPORT_MAX_ZIP_ENTRIES)`
			);
		}
		const entries: yauzl.Entry[] = await new Promise((resolve, reject) => {
			const list: yauzl.Entry[] = [];
			zip.on('entry', (e: yauzl.Entry) => {
				list.push(e);
				zip.readEntry();
			});
			zip.on('end', () => resolve(list));
			zip.on('error', (e: Error) =>
				reject(new ImportError(`the ${what} archive is damaged: ${e.message}`))
			);
			zip.readEntry();
		});
		let total = 0;
		for (const e of entries) {
			total += e.uncompressedSize;
			const ratio =
				e.compressedSize > 0
					? e.uncompressedSize / e.compressedSize
					: e.uncompressedSize > 0
						? Infinity
						: 0;
			if (e.uncompressedSize > 1024 * 1024 && ratio > limits.maxCompressionRatio) {
				throw new ImportError(
					`the ${what} entry ${e.fileName} inflates ${Math.round(ratio)}:1 (${megabytes(e.uncompressedSize)}): refused as a zip bomb (TERRAIN_IMPORT_MAX_COMPRESSION_RATIO)`
				);
			}
		}
		if (total > limits.maxUncompressedBytes) {
			throw new ImportError(
				`the ${what} would inflate to ${megabytes(total)}, more than the limit of ${megabytes(limits.maxUncompressedBytes)} (TERRAIN_IMPORT_MAX_UNCOMPRESSED_MB)`
			);
		}
		const name = choose(entries.map((e) => e.fileName));
		const entry = entries.find((e) => e.fileName === name);
		if (!entry)
			throw new ImportError(
				`the ${what} holds no ${what === 'KMZ' ? 'KML document (doc.kml)' : 'usable entry'}`
			);
		if (entry.uncompressedSize > limits.maxDocumentBytes) {
			throw new ImportError(
				`${entry.fileName} inflates to ${megabytes(entry.uncompressedSize)}, more than ${megabytes(limits.maxDocumentBytes)} (TERRAIN_IMPORT_MAX_DOCUMENT_MB)`
			);
		}
		const stream: NodeJS.ReadableStream = await new Promise((resolve, reject) =>
			zip.openReadStream(entry, (err, s) =>
				err ? reject(new ImportError(`cannot read ${entry.fileName}: ${err.message}`)) : resolve(s!)
			)
		);
		try {
			// yauzl checks the real size against the declared one; readAll caps it again.
			return await readAll(
				stream as AsyncIterable<Uint8Array>,
				Math.min(limits.maxDocumentBytes, entry.uncompressedSize + 1),
				entry.fileName
			);
		} catch (e) {
			if (e instanceof ImportError) throw e;
			throw new ImportError(`cannot inflate ${entry.fileName}: ${(e as Error).message}`);
		}
	} finally {
		zip.close();
	}
}

/** The entry names of an archive (to tell an XLSX from a KMZ). */
export async function zipNames(path: string): Promise<string[]> {
	const zip = await openZip(path);
	try {
		const names: string[] = [];
		await new Promise<void>((resolve, reject) => {
			zip.on('entry', (e: yauzl.Entry) => {
				names.push(e.fileName);
				if (names.length > 10_000) return resolve();
				zip.readEntry();
			});
			zip.on('end', () => resolve());
			zip.on('error', reject);
			zip.readEntry();
		});
		return names;
	} finally {
		zip.close();
	}
}
