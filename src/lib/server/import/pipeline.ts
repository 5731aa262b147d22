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
 * The parts: ./source-file.ts (which parser, the stream, the hash), ./date-scan.ts (day/month
 * order), ./ucdp-record.ts (UCDP as the demo loader maps it), ./job.ts (the SQL side: stage,
 * check, trial, commit), ./problems.ts (problems as lines and CSV). The database work happens in
 * the SQL functions of supabase/schemas/60_imports.sql, as the user (RLS applies; the audit log
 * gets one entry per import job naming every row it wrote).
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { mapRecord } from './map-record.ts';
import { guessMapping, mappingColumns, resolveMapping } from './mapping.ts';
import type { DateOrder } from './values.ts';
import { scanNul } from './bad-input.ts';
import { ValueMapper } from './value-maps.ts';
import { statedDepthReader } from './stated-depth.ts';
import { ImportError, importLimits, type Problem } from './types.ts';
import { detectContainer, fileHash, openSource, suggestSource } from './source-file.ts';
import { scanDateOrder } from './date-scan.ts';
import { requireUcdpColumns, ucdpRecord } from './ucdp-record.ts';
import { previewValues } from './problems.ts';
import { beginJob, commitJob, flushBatch, noteSeenBefore, trialCommit } from './job.ts';
import type {
	ImportOptions,
	ImportProgress,
	ImportRun,
	ImportSummary,
	SqlProblem
} from './options.ts';

export type { ImportOptions, ImportProgress, ImportSummary } from './options.ts';
export { detectContainer, sourceFromFileName, suggestSource } from './source-file.ts';
export { problemLine, problemsCsv } from './problems.ts';

/** A report with nothing read yet. */
function emptySummary(o: ImportOptions, fileName: string): ImportSummary {
	return {
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
}

export async function runImport(o: ImportOptions): Promise<ImportSummary> {
	const started = Date.now();
	const limits = importLimits(o.limits);
	const fileName = o.fileName ?? basename(o.file);
	// An actor registry is checked for duplicates between its own rows in SQL, batch by batch in a
	// dry run: one batch holds the whole registry (stakeholder lists are hundreds of rows, not millions).
	const batchSize = o.batchSize ?? (o.target === 'actors' ? 100_000 : 2000);
	const s = emptySummary(o, fileName);
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
	const sqlProblem = (p: SqlProblem): Problem => ({
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
	const r: ImportRun = { o, s, limits, source: '', job: null, addProblem, sqlProblem };

	try {
		if (totalBytes === 0) throw new ImportError('the file is empty (0 bytes)');
		if (totalBytes > limits.maxBytes)
			throw new ImportError(
				`the file is larger than the limit of ${Math.round(limits.maxBytes / 1048576)} MB (TERRAIN_IMPORT_MAX_MB)`
			);
		const container = await detectContainer(o.file, fileName, o.format);
		s.container = container;
		const src = await openSource(o.file, o.encoding, container, limits, counter);
		s.encoding = src.encoding ?? null;
		s.columns = src.columns;
		s.hxl = src.hxl;
		// (GeoJSON/KML features without properties can still be imported when the mapping does not
		// need columns.)
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
		s.source = r.source = source;
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
			.filter((m) => m && !m.transform)
			.map((m) => m!.column);
		let dateOrder: DateOrder = o.dateOrder ?? 'dmy';
		if (!o.dateOrder && dateColumns.length && resolved.preset !== 'ucdp') {
			const seen = await scanDateOrder(
				await openSource(o.file, o.encoding, container, limits, { bytes: 0 }),
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

		r.job = await beginJob(r, {
			fileName,
			format: o.format ?? resolved.preset,
			options: jobOptions
		});
		if (!o.dryRun) s.job_id = r.job;

		// UCDP GED is mapped exactly as the demo loader maps it — unless the user remapped.
		const ucdp = resolved.preset === 'ucdp' && o.target === 'incidents' && !resolved.changed.length;
		if (ucdp) requireUcdpColumns(src.columns);

		const statedDepth = statedDepthReader({
			preset: resolved.preset,
			target: o.target,
			remapped: !!resolved.changed.length,
			columns: src.columns
		});

		const seen = new Map<string, number>();
		let batch: Record<string, unknown>[] = [];
		const flushState = { checkedForDuplicates: 0 };
		const flush = async () => {
			await flushBatch(r, batch, flushState);
			batch = [];
		};
		const wantPreview = o.preview ?? 0;
		if (wantPreview) s.preview = { records: [], rows: [] };

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
		await noteSeenBefore(r, sha256, seen.keys(), resolved.mapping.upstream_id?.column);

		if (o.dryRun) {
			await trialCommit(r);
			s.skipped = s.rows_read - s.valid;
		} else if (needsSource) {
			throw new ImportError(
				`name the source of this file (for example "${source}"): its ids are kept under that name, so that the next file from the same source updates these incidents instead of adding them again`,
				{ column: resolved.mapping.upstream_id!.column }
			);
		} else if (s.errors > 0 && !o.validOnly) {
			// Nothing is written: the user fixes the file, or chooses to import the valid rows only
			// — `valid` then says how many rows that would write, counted by the trial commit.
			await trialCommit(r);
			s.inserted = s.updated = s.unchanged = 0;
			delete s.placement;
			s.skipped = s.rows_read;
		} else {
			progress('committing');
			await commitJob(r, typeColumn);
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
		if (r.job) await o.db.rpc('import_discard', { p_job: r.job }, o.as).catch(() => {});
		s.ms = Date.now() - started;
		progress('done');
	}
	return s;
}
