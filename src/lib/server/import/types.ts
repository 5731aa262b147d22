/** Shared shapes of the import pipeline (see ./pipeline.ts for how they fit together). */

export const IMPORT_TARGETS = [
	'incidents',
	'health_facilities',
	'idp_camps',
	'checkpoints',
	'org_sites',
	'actors',
	'displacement_locations'
] as const;
export type ImportTarget = (typeof IMPORT_TARGETS)[number];

export const IMPORT_FORMATS = [
	'acled',
	'ucdp',
	'hxl',
	'terrain',
	'csv',
	'xlsx',
	'geojson',
	'kml',
	'kmz'
] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

import type { ImportProblem } from '../../domain/import.ts';
/** One thing wrong with one row (defined with the import report in $lib/domain/import). */
export type Problem = ImportProblem;

/** A parsed record before mapping: cell values by column name, and a point if the format has one. */
export interface SourceRecord {
	row: number;
	values: Record<string, unknown>;
	point?: { lon: number; lat: number } | null;
	/** A problem the parser found in this record (e.g. a geometry that is not a point). */
	problem?: Problem;
}

/** What a parser gives: the columns it found, HXL hashtags per column if any, and the records. */
export interface RecordSource {
	/** The parser that read the file (csv, xlsx, geojson, kml, kmz). */
	container: 'csv' | 'xlsx' | 'geojson' | 'kml' | 'kmz';
	columns: string[];
	/** Column → HXL hashtag (e.g. "#geo+lat") when the file has an HXL row. */
	hxl: Record<string, string> | null;
	records: AsyncIterable<SourceRecord>;
	/** Encoding the text was read in (text formats). */
	encoding?: string;
}

/**
 * A problem with the file as a whole (cannot be read, unsafe, a required column missing): the
 * import stops and nothing is written. The message names the file and, when known, row and column.
 */
export class ImportError extends Error {
	constructor(
		message: string,
		/** code: 'date_order' (ask the user for it), 'bad_input' (answered 400, not 422). */
		readonly where: { row?: number; column?: string; code?: string } = {}
	) {
		super(message);
		this.name = 'ImportError';
	}
}

/** Limits against files that would exhaust memory or time. All configurable by environment. */
export interface ImportLimits {
	/** Largest upload / file, bytes. */
	maxBytes: number;
	/** Largest XML (KML) or JSON document parsed as a whole, bytes. */
	maxDocumentBytes: number;
	/** Most entries in a KMZ/XLSX archive. */
	maxZipEntries: number;
	/** Most bytes all entries of an archive may inflate to. */
	maxUncompressedBytes: number;
	/** Highest compression ratio of any archive entry (zip bombs compress 1000:1 and more). */
	maxCompressionRatio: number;
	/** Most data rows in one file. */
	maxRows: number;
	/** Most problems kept in the answer (all are counted). */
	maxProblems: number;
}

function envNumber(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isFinite(n) || n <= 0)
		throw new Error(`${name} must be a positive number (got "${raw}")`);
	return n;
}

export function importLimits(overrides: Partial<ImportLimits> = {}): ImportLimits {
	const MB = 1024 * 1024;
	return {
		maxBytes: envNumber('TERRAIN_IMPORT_MAX_MB', 512) * MB,
		maxDocumentBytes: envNumber('TERRAIN_IMPORT_MAX_DOCUMENT_MB', 100) * MB,
		maxZipEntries: envNumber('TERRAIN_IMPORT_MAX_ZIP_ENTRIES', 200),
		maxUncompressedBytes: envNumber('TERRAIN_IMPORT_MAX_UNCOMPRESSED_MB', 512) * MB,
		maxCompressionRatio: envNumber('TERRAIN_IMPORT_MAX_COMPRESSION_RATIO', 200),
		maxRows: envNumber('TERRAIN_IMPORT_MAX_ROWS', 5_000_000),
		maxProblems: 1000,
		...overrides
	};
}

export function megabytes(n: number): string {
	return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
}
