/**
 * What an import answers (the API's JSON, the import page's report, the CLI's summary): the same
 * type on the server (pipeline.ts, narrowed to its targets, containers and presets) and in the
 * browser, so the page does not re-declare it by hand.
 */

/** The day/month order of numeric dates (20/03/2003 is dmy, 3/20/2003 mdy). */
export type DateOrder = 'dmy' | 'mdy';

/** One thing wrong with one row: what a person needs to fix it in the file. */
export interface ImportProblem {
	/** The row as a spreadsheet shows it (header = row 1), or the feature's number in GeoJSON/KML. */
	row: number;
	/** The file's column (or property) the problem is in, when there is one. */
	column?: string;
	reason: string;
	level: 'error' | 'warning';
}

export interface ImportReport<
	Target extends string = string,
	Container extends string = string,
	Preset extends string = string
> {
	file: string;
	target: Target;
	container: Container | null;
	preset: Preset | null;
	source: string | null;
	encoding: string | null;
	columns: string[];
	hxl: Record<string, string> | null;
	mapping: Record<string, string>;
	dry_run: boolean;
	valid_only: boolean;
	committed: boolean;
	rows_read: number;
	valid: number;
	inserted: number;
	updated: number;
	unchanged: number;
	skipped: number;
	warnings: number;
	errors: number;
	problems: ImportProblem[];
	problems_total: number;
	duplicates: {
		row: number;
		of: { id: string; distance_km: number; days_apart: number; event_date: string }[];
	}[];
	preview?: { records: Record<string, unknown>[]; rows: Record<string, unknown>[] };
	fatal?: { message: string; row?: number; column?: string; code?: string };
	/** The day/month order numeric dates were read in, and whether the file showed it. */
	date_order: { order: DateOrder | null; from: 'given' | 'file' | 'none' };
	/** The source was not named: the name the import would suggest (a commit needs one named). */
	source_needed?: boolean;
	/** Where the written rows sit: by their own point, or at the area named (and on how many points). */
	placement?: { point: number; admin3: number; admin2: number; admin1: number; points: number };
	/** The file looks like one imported before (same bytes, or its ids under another source). */
	seen_before?: {
		same_file: { job: string; file_name: string; source: string; created_at: string } | null;
		other_sources: { source: string; ids: number }[];
	};
	/** Value mappings in effect and the values no mapping or known word covers. */
	values?: {
		field: 'event_type';
		column: string;
		mapped: Record<string, string>;
		unmatched: { value: string; rows: number }[];
	};
	job_id?: string;
	ms: number;
}
