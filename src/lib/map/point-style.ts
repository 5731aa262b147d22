// How incident points are coloured (issue 13): by event type (the default), by seriousness (the
// NGO lens), by recency, or by fatalities. The choice lives in the map URL as `style=`. Pure
// functions, shared by the points layer and its legend, so the legend always says what is drawn.
import { EVENT_TYPE_COLOURS, EVENT_TYPES } from '../domain/taxonomy.ts';
import type { IncidentPoint } from './types.ts';

export const POINT_STYLES = ['type', 'serious', 'recency', 'fatalities'] as const;
export type PointStyle = (typeof POINT_STYLES)[number];
type Rgb = [number, number, number];

/** The URL's `style`, forgiving: anything unknown is the default. */
export const parsePointStyle = (raw: string | null): PointStyle =>
	(POINT_STYLES as readonly string[]).includes(raw ?? '') ? (raw as PointStyle) : 'type';

const GREY: Rgb = [150, 150, 150];
const SERIOUS: Rgb = [213, 40, 40];
const NOT_SERIOUS: Rgb = [90, 120, 160];
/** Ages in days (at most this old) and their colours, newest first; older is grey. */
export const RECENCY_STEPS: [days: number, colour: Rgb][] = [
	[30, [189, 0, 38]],
	[90, [240, 59, 32]],
	[365, [253, 141, 60]],
	[3650, [254, 204, 92]]
];
/** Fatalities (at least this many) and their colours, most first; unknown is grey. */
export const FATALITY_STEPS: [min: number, colour: Rgb][] = [
	[25, [103, 0, 13]],
	[5, [203, 24, 29]],
	[1, [251, 106, 74]],
	[0, [253, 204, 180]]
];

const DAY = 86_400_000;
const days = (from: string, to: string) =>
	Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

/** The newest date among the points: recency is measured back from it (demo data is old). */
export function newestDate(points: readonly IncidentPoint[]): string | null {
	let max: string | null = null;
	for (const p of points) if (p[6] && (!max || p[6] > max)) max = p[6];
	return max;
}

/** The colour of a point in a style; `newest` is newestDate's answer (recency only). */
export function pointColour(style: PointStyle, p: IncidentPoint, newest: string | null): Rgb {
	switch (style) {
		case 'serious':
			return p[5] ? SERIOUS : NOT_SERIOUS;
		case 'recency': {
			if (!p[6] || !newest) return GREY;
			const age = days(p[6], newest);
			return RECENCY_STEPS.find(([d]) => age <= d)?.[1] ?? GREY;
		}
		case 'fatalities': {
			const f = p[4];
			if (f === null || f === undefined) return GREY;
			return FATALITY_STEPS.find(([min]) => f >= min)?.[1] ?? GREY;
		}
		default:
			return EVENT_TYPE_COLOURS[p[3]] ?? GREY;
	}
}

/** The legend of a style: [message key, its parameters, colour]. */
export function legend(style: PointStyle): [string, Record<string, number>, Rgb][] {
	switch (style) {
		case 'serious':
			return [
				['mapf.style.serious.yes', {}, SERIOUS],
				['mapf.style.serious.no', {}, NOT_SERIOUS]
			];
		case 'recency':
			return [
				...RECENCY_STEPS.map(([d, c]): [string, Record<string, number>, Rgb] => [
					'mapf.style.recency.within',
					{ days: d },
					c
				]),
				['mapf.style.recency.older', { days: RECENCY_STEPS.at(-1)![0] }, GREY]
			];
		case 'fatalities':
			return [
				['mapf.style.fatalities.at_least', { n: 25 }, FATALITY_STEPS[0][1]],
				['mapf.style.fatalities.range', { from: 5, to: 24 }, FATALITY_STEPS[1][1]],
				['mapf.style.fatalities.range', { from: 1, to: 4 }, FATALITY_STEPS[2][1]],
				['mapf.style.fatalities.none', {}, FATALITY_STEPS[3][1]],
				['mapf.style.fatalities.unknown', {}, GREY]
			];
		default:
			return EVENT_TYPES.map((t) => [`event_type.${t}`, {}, EVENT_TYPE_COLOURS[t]]);
	}
}
