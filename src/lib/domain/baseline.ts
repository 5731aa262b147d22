/**
 * Change against a baseline: is an area getting more or less violent than it usually is?
 *
 * The rule (the SQL function public.baseline_table applies exactly the same one; the integration
 * tests check the two agree):
 *
 *   Windows, all in whole days and ending on the as-of date D (inclusive):
 *     last week      D-6   … D        (7 days)
 *     last 4 weeks   D-27  … D        (28 days)
 *     baseline       D-391 … D-28     (the 52 weeks = 364 days before the 4-week window)
 *   Both windows are compared with the same baseline, so a surge in the last few weeks does not
 *   inflate the yardstick of the last week. Rolling windows, not calendar weeks: an analyst asking
 *   on a Wednesday wants the last seven days, not a week that ended on Sunday.
 *
 *   expected = baseline count × weeks / 52   (weeks = 1 or 4)
 *   rising   when observed ≥ 1.25 × expected   (+25 % or more)
 *   falling  when observed ≤ 0.75 × expected   (−25 % or more)
 *   stable   otherwise — and also whenever the low-count guard holds.
 *
 *   Low-count guard: a change is only called when the larger of observed and expected is at
 *   least MIN_COUNT (5) incidents. Below that a single incident swings the percentage wildly
 *   (1 → 2 is "+100 %" but means nothing), so the flag stays "stable" and `low_count` says why.
 *
 * The comparisons are done in integer arithmetic (observed·4·52 against 5·weeks·baseline), so
 * the TypeScript and the SQL never disagree at a band's edge because of floating point.
 */
import { ISO_DATE } from './codes.ts';

export type Trend = 'rising' | 'stable' | 'falling';

export const BASELINE_WEEKS = 52;
export const WINDOW_WEEKS = [1, 4] as const;
export type WindowWeeks = (typeof WINDOW_WEEKS)[number];
/** Observed or expected must reach this many incidents before a change is called. */
export const MIN_COUNT = 5;
/** ±25 % bands, as the fraction 1/4 (kept as integers for exact comparisons). */
export const BAND_NUM = 1;
export const BAND_DEN = 4;

export interface DateWindow {
	/** First day, inclusive, YYYY-MM-DD. */
	from: string;
	/** Last day, inclusive, YYYY-MM-DD. */
	to: string;
}

export interface BaselineWindows {
	asOf: string;
	week: DateWindow;
	fourWeeks: DateWindow;
	baseline: DateWindow;
}

export interface Classification {
	observed: number;
	/** Baseline count × weeks / 52. */
	expected: number;
	/** (observed − expected) / expected × 100, rounded to one decimal; null when expected is 0. */
	changePct: number | null;
	trend: Trend;
	/** True when the low-count guard kept a change from being called. */
	lowCount: boolean;
}

export interface BaselineResult {
	windows: BaselineWindows;
	week: Classification;
	fourWeeks: Classification;
	/** Incidents in the 52 baseline weeks. */
	baselineCount: number;
	/** Baseline count / 52. */
	weeklyAverage: number;
}

const DAY = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date (UTC, no time zone surprises). */
export function dayNumber(date: string): number {
	if (!ISO_DATE.test(date)) throw new Error(`expected a date as YYYY-MM-DD, got "${date}"`);
	const t = Date.parse(`${date}T00:00:00Z`);
	if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== date) {
		throw new Error(`not a real calendar date: "${date}"`);
	}
	return Math.round(t / DAY);
}

export function fromDayNumber(n: number): string {
	return new Date(n * DAY).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
	return fromDayNumber(dayNumber(date) + days);
}

export function baselineWindows(asOf: string): BaselineWindows {
	const d = dayNumber(asOf);
	const four = 4 * 7;
	return {
		asOf,
		week: { from: fromDayNumber(d - 6), to: asOf },
		fourWeeks: { from: fromDayNumber(d - (four - 1)), to: asOf },
		baseline: {
			from: fromDayNumber(d - four - BASELINE_WEEKS * 7 + 1),
			to: fromDayNumber(d - four)
		}
	};
}

/** Classifies the observed count of a `weeks`-long window against a 52-week baseline count. */
export function classify(observed: number, baselineCount: number, weeks: number): Classification {
	if (!Number.isInteger(observed) || observed < 0)
		throw new Error('observed must be a whole number ≥ 0');
	if (!Number.isInteger(baselineCount) || baselineCount < 0)
		throw new Error('baselineCount must be a whole number ≥ 0');
	if (!Number.isInteger(weeks) || weeks < 1) throw new Error('weeks must be a whole number ≥ 1');
	// observed / expected against 1 ± 1/4, with expected = baseline·weeks/52, cleared of fractions:
	const lhs = observed * BAND_DEN * BASELINE_WEEKS; // observed · 4 · 52
	const rhs = baselineCount * weeks; //                 expected · 52
	const lowCount = observed < MIN_COUNT && rhs < MIN_COUNT * BASELINE_WEEKS;
	let trend: Trend = 'stable';
	if (!lowCount) {
		if (lhs >= (BAND_DEN + BAND_NUM) * rhs) trend = 'rising';
		else if (lhs <= (BAND_DEN - BAND_NUM) * rhs) trend = 'falling';
	}
	const expected = rhs / BASELINE_WEEKS;
	return {
		observed,
		expected,
		changePct:
			rhs === 0 ? null : roundHalfAway(((observed * BASELINE_WEEKS - rhs) * 1000) / rhs) / 10,
		trend,
		lowCount
	};
}

/** Rounds half away from zero, as PostgreSQL's round(numeric) does. */
function roundHalfAway(x: number): number {
	return Math.sign(x) * Math.round(Math.abs(x));
}

/**
 * The whole computation from incident dates (YYYY-MM-DD; anything outside the windows is
 * ignored) — the reference the SQL is checked against.
 */
export function computeBaseline(dates: Iterable<string>, asOf: string): BaselineResult {
	const windows = baselineWindows(asOf);
	const d = dayNumber(asOf);
	let week = 0;
	let four = 0;
	let base = 0;
	for (const date of dates) {
		const age = d - dayNumber(date); // 0 = the as-of day itself
		if (age < 0) continue;
		if (age < 7) week++;
		if (age < 28) four++;
		else if (age < 28 + BASELINE_WEEKS * 7) base++;
	}
	return {
		windows,
		week: classify(week, base, 1),
		fourWeeks: classify(four, base, 4),
		baselineCount: base,
		weeklyAverage: base / BASELINE_WEEKS
	};
}
