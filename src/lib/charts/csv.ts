/**
 * CSV for chart downloads: RFC 4180 quoting, CRLF line ends, and a UTF-8 byte-order mark so that
 * Excel opens Arabic names correctly. Cells that a spreadsheet would run as a formula (=, +, -,
 * @ at the start) are prefixed with a quote — area and actor names come from imported data.
 */
export type Cell = string | number | boolean | null | undefined;

export function csvCell(v: Cell): string {
	if (v === null || v === undefined) return '';
	let s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
	if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
	return '\uFEFF' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A file name from a title and a date range: "incidents-over-time_2014-01-01_2014-12-31". */
export function fileName(title: string, from?: string | null, to?: string | null): string {
	const slug =
		title
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z0-9\u0600-\u06ff]+/g, '-')
			.replace(/^-+|-+$/g, '') || 'chart';
	return [slug, from, to].filter(Boolean).join('_');
}
