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
import { createHash } from 'node:crypto';
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
import { dateOrderEvidence, type DateOrder } from './values.ts';
import { scanNul } from './bad-input.ts';
import { ValueMapper, type ValueMaps } from './value-maps.ts';
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

/** A file name as a source name suggestion: dates, versions and copies left out. */
export function suggestSource(name: string): string {
	const s = sourceFromFileName(
		basename(name, extname(name))
			.replace(/\b(19|20)\d\d([-_. ]?\d\d){0,2}\b/g, ' ')
			.replace(/\b(v\d+|final|copy|\(\d+\))\b/gi, ' ') + '.x'
	);
	return s === 'import' ? sourceFromFileName(name) : s;
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
		date_order: { order: o.dateOrder ?? null, from: o.dateOrder ? 'given' : 'none' },
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
		// A reason quotes the cell it is about: a short preview, never the file's content.
		if (p.reason.length > 300) p = { ...p, reason: `${p.reason.slice(0, 300)}…` };
		if (p.column && p.column.length > 80) p = { ...p, column: `${p.column.slice(0, 80)}…` };
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
		// An incident file of ids from elsewhere is filed under a source the user names: the file
		// name changes every month ("incidents-2024-03.csv"), the source does not.
		const needsSource =
			!o.source &&
			!resolved.source &&
			resolved.preset !== 'terrain' &&
			o.target === 'incidents' &&
			!!resolved.mapping.upstream_id;
		const source =
			o.source ??
			resolved.source ??
			(resolved.preset === 'terrain' ? 'terrain' : suggestSource(fileName));
		s.source = source;
		if (needsSource) {
			s.source_needed = true;
			addProblem({
				row: 1,
				level: 'warning',
				reason: `name the source of this file before importing it (suggested: "${source}"): its ids are kept under that name, so that the next file from the same source updates these incidents instead of adding them again`
			});
		}
		const published = resolved.preset === 'acled' || resolved.preset === 'ucdp';
		const sha256 = await fileHash(o.file);
		const jobOptions = {
			sha256,
			status: o.status ?? (published ? 'verified' : 'reported'),
			confidentiality: o.confidentiality ?? (published ? 'public' : 'internal'),
			...(o.target === 'actors' && o.mergeDuplicates ? { merge_duplicates: true } : {})
		};

		// Numeric dates: the day/month order is given, or shown by the file, or asked for.
		const dateColumns = (['event_date', 'population_date'] as const)
			.map((f) => resolved.mapping[f])
			.filter((r) => r && !r.transform)
			.map((r) => r!.column);
		let dateOrder: DateOrder = o.dateOrder ?? 'dmy';
		if (!o.dateOrder && dateColumns.length && resolved.preset !== 'ucdp') {
			const seen = await scanDateOrder(
				await openSource(o, container, limits, { bytes: 0 }),
				dateColumns
			);
			if (seen.order) {
				dateOrder = seen.order;
				s.date_order = { order: seen.order, from: 'file' };
			} else if (seen.ambiguous) {
				throw new ImportError(
					`the dates can be read day first or month first ("${seen.ambiguous.value}" on row ${seen.ambiguous.row} is ${seen.ambiguous.dmy} or ${seen.ambiguous.mdy}), and no date in the file settles it: choose the date order (day/month/year or month/day/year)`,
					{ row: seen.ambiguous.row, column: seen.ambiguous.column, code: 'date_order' }
				);
			}
		}

		// Values of the event type column mapped to our codes: the user's, then those they saved.
		const typeColumn = resolved.mapping.event_type?.transform
			? undefined
			: resolved.mapping.event_type?.column;
		const values = new ValueMapper(
			typeColumn
				? {
						...(await o.db.rpc<Record<string, string>>(
							'import_value_maps_get',
							{ p_target: o.target, p_column: typeColumn, p_field: 'event_type' },
							o.as
						)),
						...(o.values?.event_type ?? {})
					}
				: {}
		);

		{
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
			if (!o.dryRun) s.job_id = job;
		}

		// UCDP GED is mapped exactly as the demo loader maps it (src/lib/server/seed/ucdp.ts: event
		// types from type_of_violence and the weapon named, admin depth from where_prec), so that
		// re-importing the HDX file over the demo data changes nothing — unless the user remapped.
		const ucdp = resolved.preset === 'ucdp' && o.target === 'incidents' && !resolved.changed.length;
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
			remapped: !!resolved.changed.length,
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
				// Staged as for the commit: the trial commit at the end counts what it would write.
				if (job) await o.db.rpc('import_stage', { p_job: job, p_rows: rows }, o.as);
			} else if (job) {
				// Staged even after a bad row: what "import the valid rows only" would write is then
				// counted by the same trial commit as a dry run's (the numbers promised happen).
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
				s.preview.records.push({ _row: rec.row, ...previewValues(rec.values) });
			const nul = scanNul(rec);
			const { data, problems } = nul
				? { data: null, problems: [nul] }
				: ucdp
					? ucdpRecord(rec)
					: mapRecord(o.target, rec, resolved.mapping, {
							dateOrder,
							fixed: {},
							eventTypes: values
						});
			for (const p of problems) addProblem(p);
			if (typeColumn && problems.some((p) => p.reason.startsWith('event_type:')))
				values.unmatched(rec.values[typeColumn]);
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

		if (typeColumn)
			s.values = {
				field: 'event_type',
				column: typeColumn,
				mapped: values.mapped(),
				unmatched: values.unmatchedList()
			};
		{
			const ids = [...seen.keys()].slice(0, 5000).map((k) => k.split('\u0000')[1]);
			s.seen_before = await o.db.rpc(
				'import_seen_before',
				{
					p_target: o.target,
					p_sha256: sha256,
					p_source: source,
					p_ids: ids
				},
				o.as
			);
			if (s.seen_before?.same_file)
				addProblem({
					row: 1,
					level: 'warning',
					reason: `this file was imported before (${String(s.seen_before.same_file.created_at).slice(0, 10)}, as "${s.seen_before.same_file.file_name}" under source "${s.seen_before.same_file.source}")${s.seen_before.same_file.source === source ? ': importing it again changes only what differs' : ''}`
				});
			for (const other of s.seen_before?.other_sources ?? [])
				addProblem({
					row: 1,
					column: resolved.mapping.upstream_id?.column,
					level: 'warning',
					reason: `${other.ids} of the file's ids are already in Terrain under the source "${other.source}": if this is the same source, name it "${other.source}" so that they are updated instead of added again`
				});
		}

		const trial = async () => {
			if (job && !s.fatal) {
				// The commit, tried and rolled back: what it says is what the commit will do.
				const t = await o.db.rpc<{
					committed: boolean;
					error?: string;
					inserted?: number;
					updated?: number;
					unchanged?: number;
					placement?: ImportSummary['placement'];
				}>('import_trial', { p_job: job }, o.as);
				if (t.committed) {
					s.inserted = t.inserted ?? 0;
					s.updated = t.updated ?? 0;
					s.unchanged = t.unchanged ?? 0;
					s.valid = s.inserted + s.updated + s.unchanged;
					if (t.placement) s.placement = t.placement;
				} else if (t.error) {
					addProblem({
						row: 1,
						level: 'error',
						reason: `the import would fail: ${t.error.slice(0, 300)}`
					});
					s.valid = 0;
				}
			}
		};
		if (o.dryRun) {
			await trial();
			s.skipped = s.rows_read - s.valid;
		} else if (needsSource) {
			throw new ImportError(
				`name the source of this file (for example "${source}"): its ids are kept under that name, so that the next file from the same source updates these incidents instead of adding them again`,
				{ column: resolved.mapping.upstream_id!.column }
			);
		} else if (s.errors > 0 && !o.validOnly) {
			// Nothing is written: the user fixes the file, or chooses to import the valid rows only
			// — `valid` then says how many rows that would write, counted by the trial commit.
			await trial();
			s.inserted = s.updated = s.unchanged = 0;
			delete s.placement;
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
				placement?: ImportSummary['placement'];
			}>('import_commit_placed', { p_job: job, p_valid_only: !!o.validOnly }, o.as);
			job = null; // import_commit finished the job either way
			for (const p of r.problems) addProblem(sqlProblem(p));
			s.committed = r.committed;
			if (r.committed) {
				s.inserted = r.inserted ?? 0;
				s.updated = r.updated ?? 0;
				s.unchanged = r.unchanged ?? 0;
				s.valid -= r.skipped ?? 0;
				s.skipped = s.rows_read - s.valid;
				if (r.placement) s.placement = r.placement;
				// The event type values mapped by hand are remembered for this user's next file.
				if (typeColumn && o.values?.event_type && Object.keys(o.values.event_type).length)
					await o.db.rpc(
						'import_value_maps_save',
						{
							p_target: o.target,
							p_column: typeColumn,
							p_field: 'event_type',
							p_values: o.values.event_type
						},
						o.as
					);
			} else {
				s.skipped = s.rows_read;
			}
		}
		s.problems.sort(
			(a, b) => a.row - b.row || (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1)
		);
	} catch (e) {
		if (!(e instanceof ImportError)) throw e;
		s.fatal = {
			message: e.message.length > 600 ? `${e.message.slice(0, 600)}…` : e.message,
			...e.where
		};
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

async function fileHash(path: string): Promise<string> {
	const h = createHash('sha256');
	for await (const c of createReadStream(path, { highWaterMark: 1024 * 1024 }))
		h.update(c as Buffer);
	return h.digest('hex');
}

/** Raw values for the preview: each a short preview itself. */
function previewValues(values: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(values).map(([k, v]) => [
			k,
			typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…` : v
		])
	);
}

/**
 * What a file's numeric dates say about their day/month order: the first date whose day is over
 * 12 settles it; dates that could be either, with nothing to settle them, make the import ask.
 */
async function scanDateOrder(
	src: RecordSource,
	columns: string[]
): Promise<{
	order: DateOrder | null;
	ambiguous?: { row: number; column: string; value: string; dmy: string; mdy: string };
}> {
	let ambiguous:
		{ row: number; column: string; value: string; dmy: string; mdy: string } | undefined;
	for await (const rec of src.records) {
		for (const c of columns) {
			const v = rec.values[c];
			const e = dateOrderEvidence(v);
			if (e === 'dmy' || e === 'mdy') return { order: e, ambiguous };
			if (e === 'either' && !ambiguous) {
				const [a, b, y] = String(v)
					.trim()
					.split(/[/.\-\s]/);
				const month = (m: string) =>
					new Date(Date.UTC(2000, +m - 1, 1)).toLocaleString('en', {
						month: 'long',
						timeZone: 'UTC'
					});
				ambiguous = {
					row: rec.row,
					column: c,
					value: String(v).trim().slice(0, 20),
					dmy: `${+a} ${month(b)} ${y}`,
					mdy: `${month(a)} ${+b}, ${y}`
				};
			}
		}
	}
	return { order: null, ambiguous };
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
