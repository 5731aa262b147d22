/**
 * Calendar heatmap layout: one row of weeks per year (columns = ISO weeks, Monday at the top),
 * each day a cell coloured by its count. Only the most recent `maxYears` years of the range are
 * laid out; the component says so when it cuts.
 */
import { max, scaleSequentialSqrt, interpolateYlOrRd, type ScaleSequential } from 'd3';
import { dayNumber, fromDayNumber } from '../domain/baseline.ts';
import { isoDayOfWeek } from '../domain/analysis.ts';

export interface CalendarCell {
	date: string;
	year: number;
	/** Week column within the year (0 = the week holding 1 January). */
	col: number;
	/** 0 = Monday … 6 = Sunday. */
	row: number;
	n: number;
	fatalities: number;
}

export interface CalendarLayout {
	years: number[];
	cells: CalendarCell[];
	/** Years of the range left out (older than the ones shown). */
	hiddenYears: number[];
	max: number;
	colour: ScaleSequential<string>;
	/** Month starts per year, for labels: [year, month 0–11, col]. */
	months: [number, number, number][];
}

export function calendarLayout(
	days: [string, number, number][],
	from: string,
	to: string,
	maxYears = 6
): CalendarLayout {
	const firstYear = Number(from.slice(0, 4));
	const lastYear = Number(to.slice(0, 4));
	const all: number[] = [];
	for (let y = lastYear; y >= firstYear; y--) all.push(y);
	const years = all.slice(0, maxYears);
	const hiddenYears = all.slice(maxYears);
	const counts = new Map(days.map(([d, n, f]) => [d, [n, f] as const]));
	const cells: CalendarCell[] = [];
	const months: [number, number, number][] = [];
	const start = Math.max(dayNumber(from), dayNumber(`${years[years.length - 1]}-01-01`));
	const end = dayNumber(to);
	for (let d = start; d <= end; d++) {
		const date = fromDayNumber(d);
		const year = Number(date.slice(0, 4));
		const jan1 = dayNumber(`${year}-01-01`);
		const offset = isoDayOfWeek(`${year}-01-01`) - 1;
		const col = Math.floor((d - jan1 + offset) / 7);
		if (date.slice(8) === '01') months.push([year, Number(date.slice(5, 7)) - 1, col]);
		const [n, fatalities] = counts.get(date) ?? [0, 0];
		cells.push({ date, year, col, row: isoDayOfWeek(date) - 1, n, fatalities });
	}
	const top = max(cells, (c) => c.n) ?? 0;
	return {
		years,
		cells,
		hiddenYears,
		max: top,
		colour: scaleSequentialSqrt(interpolateYlOrRd).domain([0, Math.max(1, top)]),
		months
	};
}

/**
 * Every how many months a label fits above the weeks: the smallest of 1, 2, 3, 4 or 6 (so the
 * labels fall on the same months each year) whose span, at ~4.35 weeks of `cell` px a month, holds
 * the longest label at ~0.58 em a character. Arabic month names (سبتمبر) are twice as long as
 * "Sep": at 390 px, where a cell is 6 px, every month's label ran into the next.
 */
export function monthLabelStride(labels: string[], cell: number, fontSize = 10): number {
	const widest = Math.max(0, ...labels.map((l) => l.length)) * fontSize * 0.58 + 4;
	return [1, 2, 3, 4, 6].find((s) => s * 4.35 * cell >= widest) ?? 12;
}
