/**
 * The file side of an import: which parser reads it (container), how its records are opened as a
 * stream, its hash, and the upstream source name a file name suggests.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { csvSource } from './csv.ts';
import { decodeText, limitBytes, type TextEncoding } from './decode.ts';
import { geojsonSource, kmlSource, kmzSource, readAll, zipNames } from './geo.ts';
import { xlsxSource } from './xlsx.ts';
import { ImportError, type ImportFormat, type ImportLimits, type RecordSource } from './types.ts';

/** A file name as a source name suggestion: dates, versions and copies left out. */
export function suggestSource(name: string): string {
	const s = sourceFromFileName(
		basename(name, extname(name))
			.replace(/\b(19|20)\d\d([-_. ]?\d\d){0,2}\b/g, ' ')
			.replace(/\b(v\d+|final|copy|\(\d+\))\b/gi, ' ') + '.x'
	);
	return s === 'import' ? sourceFromFileName(name) : s;
}

/** A file name as an upstream source name: "Partner camps (2024).csv" → "partner-camps-2024". */
export function sourceFromFileName(name: string): string {
	const s = basename(name, extname(name))
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60);
	return s || 'import';
}

const EXT: Record<string, RecordSource['container']> = {
	'.csv': 'csv',
	'.tsv': 'csv',
	'.txt': 'csv',
	'.xlsx': 'xlsx',
	'.xlsm': 'xlsx',
	'.geojson': 'geojson',
	'.json': 'geojson',
	'.kml': 'kml',
	'.kmz': 'kmz'
};

/** Which parser reads the file: the format asked for, else the extension, else the first bytes. */
export async function detectContainer(
	path: string,
	fileName: string,
	format?: ImportFormat
): Promise<RecordSource['container']> {
	if (
		format === 'xlsx' ||
		format === 'geojson' ||
		format === 'kml' ||
		format === 'kmz' ||
		format === 'csv'
	)
		return format;
	const byExt = EXT[extname(fileName).toLowerCase()];
	if (byExt) return byExt;
	const fh = await open(path, 'r');
	const head = Buffer.alloc(512);
	const { bytesRead } = await fh.read(head, 0, 512, 0);
	await fh.close();
	const h = head.subarray(0, bytesRead);
	if (h[0] === 0x50 && h[1] === 0x4b && h[2] === 0x03 && h[3] === 0x04) {
		const names = await zipNames(path);
		if (names.includes('[Content_Types].xml')) return 'xlsx';
		if (names.some((n) => /\.kml$/i.test(n))) return 'kmz';
		throw new ImportError('a zip archive that is neither an XLSX workbook nor a KMZ');
	}
	const text = h
		.toString('utf8')
		.replace(/^\uFEFF/, '')
		.trimStart();
	if (text.startsWith('{') || text.startsWith('[')) return 'geojson';
	if (text.startsWith('<')) return 'kml';
	return 'csv';
}

/** The file's records, streamed; `counter.bytes` counts the bytes read so far (for progress). */
export async function openSource(
	file: string,
	encoding: TextEncoding | undefined,
	container: RecordSource['container'],
	limits: ImportLimits,
	counter: { bytes: number }
): Promise<RecordSource> {
	const bytes = async function* () {
		for await (const c of createReadStream(file, { highWaterMark: 256 * 1024 })) {
			counter.bytes += (c as Buffer).length;
			yield c as Uint8Array;
		}
	};
	switch (container) {
		case 'csv': {
			const decoded = await decodeText(limitBytes(bytes(), limits.maxBytes), encoding);
			return csvSource(decoded.text, { maxRows: limits.maxRows, encoding: decoded.encoding });
		}
		case 'xlsx':
			return xlsxSource(file, limits);
		case 'geojson':
			return geojsonSource(
				await readAll(bytes(), limits.maxDocumentBytes, 'the GeoJSON document'),
				limits
			);
		case 'kml':
			return kmlSource(await readAll(bytes(), limits.maxDocumentBytes, 'the KML document'), limits);
		case 'kmz':
			return kmzSource(file, limits);
	}
}

/** SHA-256 of the file: a file imported before is recognised by its bytes. */
export async function fileHash(path: string): Promise<string> {
	const h = createHash('sha256');
	for await (const c of createReadStream(path, { highWaterMark: 1024 * 1024 }))
		h.update(c as Buffer);
	return h.digest('hex');
}
