/**
 * The import pipeline: file → parser → mapping → validation → SQL, streaming and transactional.
 *
 *   bytes ─ decode (encoding) ─ parser (csv | xlsx | geojson | kml | kmz) ─ records
 *         ─ resolveMapping (preset / HXL / guessed + the user's FIELD=COLUMN)
 *         ─ mapRecord: typed, validated rows, or problems {row, column, reason}
 *         ─ dry run:  import_check per batch (placement, likely duplicates), nothing written
 *         ─ commit:   import_stage per batch, then import_commit — ONE transaction that writes
 *                     every row or none (unless validOnly: then the bad rows are skipped, listed)
 *
 * The database work happens in the SQL functions of 20261122001001_imports.sql, as the user (RLS
 * applies, every written row is audited under their id).
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Adapter, Caller } from '../db/types.ts';
import { csvSource } from './csv.ts';
import { decodeText, limitBytes, type TextEncoding } from './decode.ts';
import { mapRecord } from './fields.ts';
import { mapUcdpRecord, UCDP_COLUMNS, type UcdpRecord } from '../seed/ucdp.ts';
import { geojsonSource, kmlSource, kmzSource, readAll, zipNames } from './geo.ts';
import { guessMapping, mappingColumns, resolveMapping, type Preset_ } from './mapping.ts';
import type { DateOrder } from './values.ts';
import { xlsxSource } from './xlsx.ts';
import { statedDepthReader } from './stated-depth.ts';
import {
	ImportError,
	importLimits,
	type ImportFormat,
	type ImportLimits,
	type ImportTarget,
	type Problem,
	type RecordSource
} from './types.ts';
import type { ImportReport } from '../../domain/import.ts';

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
	/** The upstream source name rows are upserted under (default: acled, ucdp-ged, or the file's name). */
	source?: string;
	encoding?: TextEncoding;
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

async function openSource(
	o: ImportOptions,
	container: RecordSource['container'],
	limits: ImportLimits,
	counter: { bytes: number }
): Promise<RecordSource> {
	const bytes = async function* () {
		for await (const c of createReadStream(o.file, { highWaterMark: 256 * 1024 })) {
			counter.bytes += (c as Buffer).length;
			yield c as Uint8Array;
		}
	};
	switch (container) {
		case 'csv': {
			const { encoding, text } = await decodeText(limitBytes(bytes(), limits.maxBytes), o.encoding);
			return csvSource(text, { maxRows: limits.maxRows, encoding });
		}
		case 'xlsx':
			return xlsxSource(o.file, limits);
		case 'geojson':
			return geojsonSource(
				await readAll(bytes(), limits.maxDocumentBytes, 'the GeoJSON document'),
				limits
			);
		case 'kml':
			return kmlSource(await readAll(bytes(), limits.maxDocumentBytes, 'the KML document'), limits);
		case 'kmz':
			return kmzSource(o.file, limits);
	}
}

export async function runImport(o: ImportOptions): Promise<ImportSummary> {
	const started = Date.now();
	const limits = importLimits(o.limits);
	const fileName = o.fileName ?? basename(o.file);
	// An actor registry is checked for duplicates between its own rows in SQL, batch by batch in a
	// dry run: one batch holds the whole registry (stakeholder lists are hundreds of rows, not millions).
	const batchSize = o.batchSize ?? (o.target === 'actors' ? 100_000 : 2000);
	const s: ImportSummary = {
		file: fileName,
		target: o.target,
		container: null,
		preset: null,
		source: null,
		encoding: null,
		columns: [],
		hxl: null,
		mapping: {},
		dry_run: !!o.dryRun,
		valid_only: !!o.validOnly,
		committed: false,
		rows_read: 0,
		valid: 0,
		inserted: 0,
		updated: 0,
		unchanged: 0,
		skipped: 0,
		warnings: 0,
		errors: 0,
		problems: [],
		problems_total: 0,
		duplicates: [],
		ms: 0
	};
	const counter = { bytes: 0 };
	const totalBytes = (await stat(o.file)).size;
	const progress = (phase: ImportProgress['phase']) =>
		o.onProgress?.({ phase, rows: s.rows_read, bytes: counter.bytes, totalBytes });
	let mappingRef: Record<string, { column: string }> = {};
	const addProblem = (p: Problem) => {
		s.problems_total++;
		if (p.level === 'error') s.errors++;
		else s.warnings++;
		if (s.problems.length < limits.maxProblems) s.problems.push(p);
	};
	// SQL names our fields; the user needs the file's columns.
	const sqlProblem = (p: {
		row: number;
		field?: string;
		reason: string;
		level: 'error' | 'warning';
	}): Problem => ({
		row: p.row,
		column: p.field
			? (mappingRef[p.field]?.column ??
				(['lat', 'lon'].includes(p.field) && s.container !== 'csv' && s.container !== 'xlsx'
					? 'geometry'
					: p.field))
			: undefined,
		reason: p.reason,
		level: p.level
	});

	let job: string | null = null;
	try {
		if (totalBytes === 0) throw new ImportError('the file is empty (0 bytes)');
		if (totalBytes > limits.maxBytes)
			throw new ImportError(
				`the file is larger than the limit of ${Math.round(limits.maxBytes / 1048576)} MB (TERRAIN_IMPORT_MAX_MB)`
			);
		const container = await detectContainer(o.file, fileName, o.format);
		s.container = container;
		const src = await openSource(o, container, limits, counter);
		s.encoding = src.encoding ?? null;
		s.columns = src.columns;
		s.hxl = src.hxl;
		if (src.columns.length === 0 && container !== 'csv' && container !== 'xlsx') {
			// Features without properties can still be imported when the mapping does not need columns.
		}
		const resolved = resolveMapping(
			o.target,
			o.format,
			src.columns,
			src.hxl,
			o.map ?? {},
			container !== 'csv' && container !== 'xlsx'
		);
		s.preset = resolved.preset;
		s.mapping = mappingColumns(resolved.mapping);
		mappingRef = resolved.mapping;
		const source =
			o.source ??
			resolved.source ??
			(resolved.preset === 'terrain' ? 'terrain' : sourceFromFileName(fileName));
		s.source = source;
		const published = resolved.preset === 'acled' || resolved.preset === 'ucdp';
		const jobOptions = {
			status: o.status ?? (published ? 'verified' : 'reported'),
			confidentiality: o.confidentiality ?? (published ? 'public' : 'internal'),
			...(o.target === 'actors' && o.mergeDuplicates ? { merge_duplicates: true } : {})
		};

		if (!o.dryRun) {
			job = await o.db.rpc<string>(
				'import_begin',
				{
					p_target: o.target,
					p_source: source,
					p_file_name: fileName,
					p_format: o.format ?? resolved.preset,
					p_options: jobOptions
				},
				o.as
			);
			s.job_id = job;
		}

		// UCDP GED is mapped exactly as the demo loader maps it (src/lib/server/seed/ucdp.ts: event
		// types from type_of_violence and the weapon named, admin depth from where_prec), so that
		// re-importing the HDX file over the demo data changes nothing — unless the user remapped.
		const ucdp =
			resolved.preset === 'ucdp' && o.target === 'incidents' && !Object.keys(o.map ?? {}).length;
		if (ucdp) {
			const missing = UCDP_COLUMNS.filter((c) => !src.columns.includes(c));
			if (missing.length)
				throw new ImportError(
					`missing required UCDP GED column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
					{ row: 1, column: missing[0] }
				);
		}
		const ucdpRecord = (rec: { row: number; values: Record<string, unknown> }) => {
			try {
				const { is_sample: _s, ...row } = mapUcdpRecord(
					Object.fromEntries(
						Object.entries(rec.values).map(([k, v]) => [
							k,
							v === null || v === undefined ? '' : String(v)
						])
					) as UcdpRecord
				);
				return {
					data: { _row: rec.row, ...row } as Record<string, unknown>,
					problems: [] as Problem[]
				};
			} catch (e) {
				const message = (e as Error).message;
				const column = UCDP_COLUMNS.find(
					(c) => message.includes(`UCDP ${c} `) || message.includes(` ${c} `)
				);
				return {
					data: null,
					problems: [{ row: rec.row, column, reason: message, level: 'error' as const }]
				};
			}
		};

		const statedDepth = statedDepthReader({
			preset: resolved.preset,
			target: o.target,
			remapped: !!Object.keys(o.map ?? {}).length,
			columns: src.columns
		});

		const seen = new Map<string, number>();
		let batch: Record<string, unknown>[] = [];
		let checkedForDuplicates = 0;
		const wantPreview = o.preview ?? 0;
		if (wantPreview) s.preview = { records: [], rows: [] };
		const flush = async () => {
			if (!batch.length) return;
			const rows = JSON.stringify(batch);
			const check = async (dup: boolean) => {
				const r = await o.db.rpc<{
					problems: { row: number; field: string; reason: string; level: 'error' | 'warning' }[];
					duplicates: ImportSummary['duplicates'];
				}>(
					'import_check',
					{
						p_target: o.target,
						p_rows: rows,
						p_duplicates: dup,
						p_dup_km: o.duplicateKm,
						p_dup_days: o.duplicateDays,
						p_source: source,
						p_merge: o.target === 'actors' && !!o.mergeDuplicates
					},
					o.as
				);
				for (const p of r.problems) {
					addProblem(sqlProblem(p));
					if (p.level === 'error') s.valid--;
				}
				for (const d of r.duplicates)
					if (s.duplicates.length < limits.maxProblems) s.duplicates.push(d);
			};
			if (o.dryRun) {
				const dup =
					!!o.checkDuplicates && o.target === 'incidents' && checkedForDuplicates < 20_000;
				checkedForDuplicates += batch.length;
				await check(dup);
			} else if (job && (o.validOnly || s.errors === 0)) {
				await o.db.rpc('import_stage', { p_job: job, p_rows: rows }, o.as);
			} else if (o.target === 'actors') {
				// Nothing will be written, but the importer fixes the file once: tell them the
				// duplicate actors as well as the bad cells.
				await check(false);
			}
			batch = [];
		};

		for await (const rec of src.records) {
			s.rows_read++;
			if (s.preview && s.preview.records.length < wantPreview)
				s.preview.records.push({ _row: rec.row, ...rec.values });
			const { data, problems } = ucdp
				? ucdpRecord(rec)
				: mapRecord(o.target, rec, resolved.mapping, {
						dateOrder: o.dateOrder ?? 'dmy',
						fixed: {}
					});
			for (const p of problems) addProblem(p);
			if (data && !ucdp && statedDepth) data.admin_depth = statedDepth(rec.values);
			if (data) {
				const id = data.upstream_id as string | undefined;
				const key =
					id !== undefined ? `${(data.upstream_source as string) ?? ''}\u0000${id}` : undefined;
				if (key !== undefined && seen.has(key)) {
					addProblem({
						row: rec.row,
						column: resolved.mapping.upstream_id?.column,
						reason: `the id ${id} was already on row ${seen.get(key)}`,
						level: 'error'
					});
				} else {
					if (key !== undefined) seen.set(key, rec.row);
					s.valid++;
					if (s.preview && s.preview.rows.length < wantPreview) s.preview.rows.push(data);
					batch.push(data);
				}
			}
			if (batch.length >= batchSize) await flush();
			if (s.rows_read % 1000 === 0) progress('reading');
		}
		await flush();
		progress('reading');
		if (s.rows_read === 0)
			throw new ImportError('the file has a header but no data rows', { row: 2 });

		if (o.dryRun) {
			s.skipped = s.rows_read - s.valid;
		} else if (s.errors > 0 && !o.validOnly) {
			// Nothing is written: the user fixes the file, or chooses to import the valid rows only.
			s.skipped = s.rows_read;
		} else {
			progress('committing');
			const r = await o.db.rpc<{
				committed: boolean;
				inserted?: number;
				updated?: number;
				unchanged?: number;
				skipped?: number;
				problems: { row: number; field: string; reason: string; level: 'error' | 'warning' }[];
			}>('import_commit', { p_job: job, p_valid_only: !!o.validOnly }, o.as);
			job = null; // import_commit finished the job either way
			for (const p of r.problems) addProblem(sqlProblem(p));
			s.committed = r.committed;
			if (r.committed) {
				s.inserted = r.inserted ?? 0;
				s.updated = r.updated ?? 0;
				s.unchanged = r.unchanged ?? 0;
				s.valid -= r.skipped ?? 0;
				s.skipped = s.rows_read - s.valid;
			} else {
				s.skipped = s.rows_read;
			}
		}
		s.problems.sort(
			(a, b) => a.row - b.row || (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1)
		);
	} catch (e) {
		if (!(e instanceof ImportError)) throw e;
		s.fatal = { message: e.message, ...e.where };
		// A mapping problem is fixed in the mapping step: offer the columns and the best guess.
		if (s.columns.length && !Object.keys(s.mapping).length)
			s.mapping = mappingColumns(guessMapping(o.target, s.columns));
		s.committed = false;
		s.skipped = s.rows_read;
	} finally {
		if (job) await o.db.rpc('import_discard', { p_job: job }, o.as).catch(() => {});
		s.ms = Date.now() - started;
		progress('done');
	}
	return s;
}

/** One line per problem, as the CLI prints and the UI offers for download. */
export function problemLine(file: string, p: Problem): string {
	return `${file}: row ${p.row}${p.column ? `, column ${p.column}` : ''}: ${p.level === 'warning' ? 'warning: ' : ''}${p.reason}`;
}

/** The problems as CSV (row, column, level, reason) for "download the skipped rows". */
export function problemsCsv(problems: Problem[]): string {
	const q = (v: unknown) => {
		const t = String(v ?? '');
		return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
	};
	return (
		[
			'row,column,level,reason',
			...problems.map((p) => [p.row, p.column ?? '', p.level, p.reason].map(q).join(','))
		].join('\r\n') + '\r\n'
	);
}
