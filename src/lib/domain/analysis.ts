/**
 * Time binning shared by the analysis charts, the stats API and the tests: the same bins the SQL
 * (date_trunc) makes. Weeks are ISO weeks, starting on Monday; a bin is named by its first day.
 */
import { dayNumber, fromDayNumber } from './baseline.ts';

export const BIN_SIZES = ['day', 'week', 'month'] as const;
export type BinSize = (typeof BIN_SIZES)[number];

/** What the stacked time series is split by: event type, governorate, district, or nothing. */
export const STACK_GROUPS = ['type', 'area1', 'area2', 'none'] as const;
export type StackGroup = (typeof STACK_GROUPS)[number];

/** The first day of the bin that holds `date`. */
export function binStart(date: string, by: BinSize): string {
	const n = dayNumber(date);
	if (by === 'day') return date;
	if (by === 'week') {
		// 1970-01-01 was a Thursday: (n + 3) mod 7 is 0 on Mondays.
		const dow = (((n + 3) % 7) + 7) % 7;
		return fromDayNumber(n - dow);
	}
	return `${date.slice(0, 7)}-01`;
}

/** The first day of the bin after the one starting on `start`. */
export function nextBin(start: string, by: BinSize): string {
	if (by === 'day') return fromDayNumber(dayNumber(start) + 1);
	if (by === 'week') return fromDayNumber(dayNumber(start) + 7);
	const y = Number(start.slice(0, 4));
	const m = Number(start.slice(5, 7));
	return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** The last day of the bin starting on `start`. */
export function binEnd(start: string, by: BinSize): string {
	return fromDayNumber(dayNumber(nextBin(start, by)) - 1);
}

/** Every bin from the one holding `from` to the one holding `to`, so gaps show as zeros. */
export function binsBetween(from: string, to: string, by: BinSize, max = 20_000): string[] {
	const out: string[] = [];
	const last = binStart(to, by);
	for (let b = binStart(from, by); b <= last; b = nextBin(b, by)) {
		out.push(b);
		if (out.length > max)
			throw new Error(`more than ${max} ${by} bins between ${from} and ${to}; use a larger bin`);
	}
	return out;
}

/** ISO 8601 week label (e.g. 2019-W01) of a date. */
export function isoWeekLabel(date: string): string {
	const monday = dayNumber(binStart(date, 'week'));
	const thursday = fromDayNumber(monday + 3); // the week belongs to the year of its Thursday
	const year = Number(thursday.slice(0, 4));
	const jan1 = dayNumber(`${year}-01-01`);
	const week = Math.floor((monday + 3 - jan1) / 7) + 1;
	return `${year}-W${String(week).padStart(2, '0')}`;
}

/** A sensible bin for a date range: days up to ~4 months, weeks up to ~3 years, else months. */
export function autoBin(from: string, to: string): BinSize {
	const days = dayNumber(to) - dayNumber(from) + 1;
	if (days <= 124) return 'day';
	if (days <= 3 * 366) return 'week';
	return 'month';
}

/** Day of week as ISO numbers it: 1 = Monday … 7 = Sunday. */
export function isoDayOfWeek(date: string): number {
	const n = dayNumber(date);
	return ((((n + 3) % 7) + 7) % 7) + 1;
}
