/**
 * Problems as the user reads them: one line each (the CLI), a CSV of them (the page's "download
 * the skipped rows"), and the preview's short cell values.
 */
import type { Problem } from './types.ts';

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

/** Raw values for the preview: each a short preview itself. */
export function previewValues(values: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(values).map(([k, v]) => [
			k,
			typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…` : v
		])
	);
}
