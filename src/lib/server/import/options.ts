/**
 * What an import is asked to do (ImportOptions), what it reports while it runs (ImportProgress)
 * and what it answers (ImportSummary): shared by the pipeline and its parts.
 */
import type { Adapter, Caller } from '../db/types.ts';
import type { ImportReport } from '../../domain/import.ts';
import type { Preset_ } from './mapping.ts';
import type { DateOrder } from './values.ts';
import type { TextEncoding } from './decode.ts';
import type { ValueMaps } from './value-maps.ts';
import type { ImportFormat, ImportLimits, ImportTarget, Problem, RecordSource } from './types.ts';

export interface ImportOptions {
	db: Adapter;
	as: Caller;
	/** Path of the file to read (uploads are spooled to a temporary file first). */
	file: string;
	/** The name the user knows the file by (defaults to the path's base name). */
	fileName?: string;
	target: ImportTarget;
	format?: ImportFormat;
	/** FIELD → COLUMN choices on top of the preset or guess; null or '' unmaps a field. */
	map?: Record<string, string | null>;
	/**
	 * The upstream source name rows are upserted under: ACLED and UCDP files have theirs; any
	 * other incident file with an id column must be named by the user (the dry run suggests one),
	 * so that next month's file from the same source updates instead of duplicating.
	 */
	source?: string;
	/** A column's values mapped to our codes: {event_type: {"IED": "explosions_remote_violence/…"}}. */
	values?: ValueMaps;
	encoding?: TextEncoding;
	/** Day/month order of numeric dates; without it the file must tell (a day > 12) or the import asks. */
	dateOrder?: DateOrder;
	dryRun?: boolean;
	validOnly?: boolean;
	/** Actors: a row duplicating an actor in Terrain adds its spellings to that actor's aliases (a warning, not an error). */
	mergeDuplicates?: boolean;
	/** Status and confidentiality of new incidents whose file does not say (ACLED/UCDP: verified, public). */
	status?: 'reported' | 'verified';
	confidentiality?: 'public' | 'internal' | 'restricted';
	/** Dry run: look for likely duplicates already in the database (first 20,000 rows). */
	checkDuplicates?: boolean;
	duplicateKm?: number;
	duplicateDays?: number;
	/** Dry run: how many mapped rows and raw records to return for the preview. */
	preview?: number;
	batchSize?: number;
	limits?: Partial<ImportLimits>;
	onProgress?: (p: ImportProgress) => void;
}

export interface ImportProgress {
	phase: 'reading' | 'committing' | 'done';
	rows: number;
	bytes: number;
	totalBytes: number;
}

/** The report of one import (see $lib/domain/import), narrowed to this pipeline's names. */
export type ImportSummary = ImportReport<ImportTarget, RecordSource['container'], Preset_>;

/** A problem as SQL states it: our field names, which the user's columns replace. */
export interface SqlProblem {
	row: number;
	field?: string;
	reason: string;
	level: 'error' | 'warning';
}

/**
 * One import run as its parts share it: the options, the report being filled in, the limits,
 * the job (null once committed or never begun) and how problems are added to the report.
 */
export interface ImportRun {
	o: ImportOptions;
	s: ImportSummary;
	limits: ImportLimits;
	source: string;
	job: string | null;
	addProblem: (p: Problem) => void;
	sqlProblem: (p: SqlProblem) => Problem;
}
