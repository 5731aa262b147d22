// The map's time slider (issue 13): a window of a day, week, month, quarter or year that steps
// or plays over the range of the data. The window is written into the URL as the usual from/to
// filter plus `win`, so every layer, count and chart that already follows from/to follows the
// slider, and a link opens the same step. All dates are ISO days in UTC (incidents carry a date,
// not a time zone); weeks start on Monday (ISO), as the analysis charts' week bins do.

export const TIME_WINDOWS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type TimeWindow = (typeof TIME_WINDOWS)[number];

/** Playback speeds: milliseconds a step stays on screen once its data has been drawn. */
export const PLAY_SPEEDS = [
	{ id: 'slow', ms: 2000 },
	{ id: 'normal', ms: 1000 },
	{ id: 'fast', ms: 400 }
] as const;
export type PlaySpeed = (typeof PLAY_SPEEDS)[number]['id'];

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);

export function isTimeWindow(s: unknown): s is TimeWindow {
	return typeof s === 'string' && (TIME_WINDOWS as readonly string[]).includes(s);
}

/** The first day of the window of kind `w` that holds `date`. */
export function windowStart(date: string, w: TimeWindow): string {
	const d = day(date);
	const y = d.getUTCFullYear();
	const m = d.getUTCMonth();
	switch (w) {
		case 'day':
			return iso(d);
		case 'week': {
			const dow = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
			return iso(new Date(Date.UTC(y, m, d.getUTCDate() - dow)));
		}
		case 'month':
			return iso(new Date(Date.UTC(y, m, 1)));
		case 'quarter':
			return iso(new Date(Date.UTC(y, m - (m % 3), 1)));
		case 'year':
			return iso(new Date(Date.UTC(y, 0, 1)));
	}
}

/** The start of the window `n` windows after (or before, n < 0) the one starting at `start`. */
export function shiftWindow(start: string, w: TimeWindow, n: number): string {
	const d = day(windowStart(start, w));
	const y = d.getUTCFullYear();
	const m = d.getUTCMonth();
	const dd = d.getUTCDate();
	switch (w) {
		case 'day':
			return iso(new Date(Date.UTC(y, m, dd + n)));
		case 'week':
			return iso(new Date(Date.UTC(y, m, dd + 7 * n)));
		case 'month':
			return iso(new Date(Date.UTC(y, m + n, 1)));
		case 'quarter':
			return iso(new Date(Date.UTC(y, m + 3 * n, 1)));
		case 'year':
			return iso(new Date(Date.UTC(y + n, 0, 1)));
	}
}

/** The window holding `date` as the API's inclusive from/to. */
export function windowRange(date: string, w: TimeWindow): { from: string; to: string } {
	const from = windowStart(date, w);
	const next = day(shiftWindow(from, w, 1));
	next.setUTCDate(next.getUTCDate() - 1);
	return { from, to: iso(next) };
}

/** How many windows of kind `w` cover [min, max] (at least 1). */
export function windowCount(min: string, max: string, w: TimeWindow): number {
	return windowIndex(min, max, w) + 1;
}

/** The position of the window holding `date`, counted from the one holding `min` (0-based). */
export function windowIndex(min: string, date: string, w: TimeWindow): number {
	const a = day(windowStart(min, w));
	const b = day(windowStart(date, w));
	switch (w) {
		case 'day':
			return Math.round((b.getTime() - a.getTime()) / 86_400_000);
		case 'week':
			return Math.round((b.getTime() - a.getTime()) / (7 * 86_400_000));
		case 'month':
		case 'quarter': {
			const months =
				(b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
			return w === 'month' ? months : Math.round(months / 3);
		}
		case 'year':
			return b.getUTCFullYear() - a.getUTCFullYear();
	}
}

/**
 * Where the slider stands for a URL's from/to: the window holding `from`, kept inside the data's
 * range (a link made before newer data arrived still opens on a real step). Null without a range.
 */
export function sliderPosition(
	from: string | null,
	w: TimeWindow,
	range: { min: string; max: string } | null
): { index: number; count: number; from: string; to: string } | null {
	if (!range) return null;
	const count = windowCount(range.min, range.max, w);
	const want = from ? windowIndex(range.min, from, w) : 0;
	const index = Math.min(Math.max(want, 0), count - 1);
	return { index, count, ...windowRange(shiftWindow(range.min, w, index), w) };
}

/** A window's name in the reader's language: "3 Mar 2014", "March 2014", "Q1 2014", "2014". */
export function windowLabel(
	range: { from: string; to: string },
	w: TimeWindow,
	locale: string,
	quarter: (q: number, year: string) => string
): string {
	const d = day(range.from);
	const fmt = (o: Intl.DateTimeFormatOptions) =>
		new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...o }).format(d);
	const year = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric' }).format(d);
	switch (w) {
		case 'day':
			return fmt({ day: 'numeric', month: 'short', year: 'numeric' });
		case 'week': {
			const f = new Intl.DateTimeFormat(locale, {
				timeZone: 'UTC',
				day: 'numeric',
				month: 'short',
				year: 'numeric'
			});
			return `${f.format(d)} – ${f.format(day(range.to))}`;
		}
		case 'month':
			return fmt({ month: 'long', year: 'numeric' });
		case 'quarter':
			return quarter(Math.floor(d.getUTCMonth() / 3) + 1, year);
		case 'year':
			return year;
	}
}
