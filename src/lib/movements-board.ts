/**
 * The live movements board's order and merge, kept apart from the page so they can be unit-tested:
 * what needs the officer's eyes first (overdue, then under way), then the rest by departure, newest
 * first; an event's row replaces the row it updates or joins the board.
 */
export interface BoardRow {
	id: string;
	status: string;
	departure_at?: unknown;
	[k: string]: unknown;
}

const FIRST: Record<string, number> = { overdue: 0, under_way: 1 };

export function boardOrder<T extends BoardRow>(rows: T[]): T[] {
	const rank = (r: T) => FIRST[r.status] ?? 2;
	return [...rows].sort(
		(a, b) =>
			rank(a) - rank(b) || String(b.departure_at ?? '').localeCompare(String(a.departure_at ?? ''))
	);
}

export function mergeRow<T extends BoardRow>(rows: T[], row: T): T[] {
	const i = rows.findIndex((r) => r.id === row.id);
	return boardOrder(
		i < 0 ? [...rows, row] : rows.map((r) => (r.id === row.id ? { ...r, ...row } : r))
	);
}
