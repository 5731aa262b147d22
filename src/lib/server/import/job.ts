/**
 * The database side of an import, over the SQL functions of 60_imports.sql, each run as the user
 * (RLS applies): a job is begun, batches are staged (and checked in a dry run), the file is
 * compared with earlier imports, and the job is committed — or tried and rolled back, so that a
 * dry run's numbers are what the commit will do.
 */
import type { ImportRun, ImportSummary, SqlProblem } from './options.ts';

/** Opens the import job; its id is the staging area's. */
export function beginJob(
	r: ImportRun,
	job: { fileName: string; format: string | null; options: Record<string, unknown> }
): Promise<string> {
	return r.o.db.rpc<string>(
		'import_begin',
		{
			p_target: r.o.target,
			p_source: r.source,
			p_file_name: job.fileName,
			p_format: job.format,
			p_options: job.options
		},
		r.o.as
	);
}

/** Rows checked for likely duplicates in a dry run so far (the check stops after 20,000). */
export interface FlushState {
	checkedForDuplicates: number;
}

/** One batch of mapped rows: checked (dry run, or an actor file that will not be written) and staged. */
export async function flushBatch(
	r: ImportRun,
	batch: Record<string, unknown>[],
	state: FlushState
): Promise<void> {
	if (!batch.length) return;
	const { o, s } = r;
	const rows = JSON.stringify(batch);
	const check = async (dup: boolean) => {
		const c = await o.db.rpc<{ problems: SqlProblem[]; duplicates: ImportSummary['duplicates'] }>(
			'import_check',
			{
				p_target: o.target,
				p_rows: rows,
				p_duplicates: dup,
				p_dup_km: o.duplicateKm,
				p_dup_days: o.duplicateDays,
				p_source: r.source,
				p_merge: o.target === 'actors' && !!o.mergeDuplicates
			},
			o.as
		);
		for (const p of c.problems) {
			r.addProblem(r.sqlProblem(p));
			if (p.level === 'error') s.valid--;
		}
		for (const d of c.duplicates)
			if (s.duplicates.length < r.limits.maxProblems) s.duplicates.push(d);
	};
	if (o.dryRun) {
		const dup =
			!!o.checkDuplicates && o.target === 'incidents' && state.checkedForDuplicates < 20_000;
		state.checkedForDuplicates += batch.length;
		await check(dup);
		// Staged as for the commit: the trial commit at the end counts what it would write.
		if (r.job) await o.db.rpc('import_stage', { p_job: r.job, p_rows: rows }, o.as);
	} else if (r.job) {
		// Staged even after a bad row: what "import the valid rows only" would write is then
		// counted by the same trial commit as a dry run's (the numbers promised happen).
		await o.db.rpc('import_stage', { p_job: r.job, p_rows: rows }, o.as);
		// An actor file that will not be written (all or nothing, bad cells): tell the
		// importer the duplicate actors too, so they fix the file once.
		if (o.target === 'actors' && !o.validOnly && s.errors > 0) await check(false);
	} else if (o.target === 'actors') {
		// Nothing will be written, but the importer fixes the file once: tell them the
		// duplicate actors as well as the bad cells.
		await check(false);
	}
}

/** The same file imported before, or its ids already in Terrain under another source name. */
export async function noteSeenBefore(
	r: ImportRun,
	sha256: string,
	seenKeys: Iterable<string>,
	idColumn: string | undefined
): Promise<void> {
	const { o, s, source } = r;
	const ids = [...seenKeys].slice(0, 5000).map((k) => k.split('\u0000')[1]);
	s.seen_before = await o.db.rpc(
		'import_seen_before',
		{ p_target: o.target, p_sha256: sha256, p_source: source, p_ids: ids },
		o.as
	);
	const same = s.seen_before?.same_file;
	if (same)
		r.addProblem({
			row: 1,
			level: 'warning',
			reason: `this file was imported before (${String(same.created_at).slice(0, 10)}, as "${same.file_name}" under source "${same.source}")${same.source === source ? ': importing it again changes only what differs' : ''}`
		});
	for (const other of s.seen_before?.other_sources ?? [])
		r.addProblem({
			row: 1,
			column: idColumn,
			level: 'warning',
			reason: `${other.ids} of the file's ids are already in Terrain under the source "${other.source}": if this is the same source, name it "${other.source}" so that they are updated instead of added again`
		});
}

/** The commit, tried and rolled back: what it says is what the commit will do. */
export async function trialCommit(r: ImportRun): Promise<void> {
	const { o, s } = r;
	if (!r.job || s.fatal) return;
	const t = await o.db.rpc<{
		committed: boolean;
		error?: string;
		inserted?: number;
		updated?: number;
		unchanged?: number;
		placement?: ImportSummary['placement'];
	}>('import_trial', { p_job: r.job }, o.as);
	if (t.committed) {
		s.inserted = t.inserted ?? 0;
		s.updated = t.updated ?? 0;
		s.unchanged = t.unchanged ?? 0;
		s.valid = s.inserted + s.updated + s.unchanged;
		if (t.placement) s.placement = t.placement;
	} else if (t.error) {
		r.addProblem({
			row: 1,
			level: 'error',
			reason: `the import would fail: ${t.error.slice(0, 300)}`
		});
		s.valid = 0;
	}
}

/**
 * The commit: one transaction that writes every staged row or none (or the valid ones only). The
 * event type values mapped by hand are then remembered for this user's next file.
 */
export async function commitJob(r: ImportRun, typeColumn: string | undefined): Promise<void> {
	const { o, s } = r;
	const c = await o.db.rpc<{
		committed: boolean;
		inserted?: number;
		updated?: number;
		unchanged?: number;
		skipped?: number;
		problems: SqlProblem[];
		placement?: ImportSummary['placement'];
	}>('import_commit_placed', { p_job: r.job, p_valid_only: !!o.validOnly }, o.as);
	r.job = null; // import_commit finished the job either way
	for (const p of c.problems) r.addProblem(r.sqlProblem(p));
	s.committed = c.committed;
	if (!c.committed) {
		s.skipped = s.rows_read;
		return;
	}
	s.inserted = c.inserted ?? 0;
	s.updated = c.updated ?? 0;
	s.unchanged = c.unchanged ?? 0;
	s.valid -= c.skipped ?? 0;
	s.skipped = s.rows_read - s.valid;
	if (c.placement) s.placement = c.placement;
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
}
