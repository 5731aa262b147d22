// Incidents per 100,000 people by administrative area (issue 13, "rates, not counts"): a count
// map mostly shows where people live. The population comes from the community profiles
// (/api/v1/areas/population); an area without a known population has NO rate — it is drawn as
// "no data", never as a rate of zero, which would read as "safe".
import { filterQuery, filtersMatchNothing, type MapUrlState } from './url-state.ts';

export const RATE_PER = 100_000;

export interface RateQuery {
	level: 1 | 2 | 3;
	/**
	 * The incident layer's whole filter as API parameters: dates, types, area, and the place and
	 * further filters (geometry_id, lat/lon/within_km, precise, lens, sub_type, actor, status,
	 * reliability). Any change to it is a new query, so the shading reloads.
	 */
	filters: string;
	/** Every event type unticked: the points show nothing, so every area counts 0. */
	none: boolean;
}

/** What the rate shading asks for in this map state; null when it is off. */
export function rateQuery(
	s: Pick<MapUrlState, 'rate' | 'from' | 'to' | 'types' | 'area' | 'refine'>
): RateQuery | null {
	if (!s.rate) return null;
	return { level: s.rate, filters: filterQuery(s).toString(), none: filtersMatchNothing(s) };
}

export interface AreaRate {
	pcode: string;
	/** Incidents in the area under the map's filters. */
	n: number;
	population: number | null;
	/** n / population × 100,000; null when the population is unknown (or zero). */
	rate: number | null;
}

export function areaRates(
	pcodes: readonly string[],
	counts: readonly { pcode: string; n: number }[],
	populations: readonly { pcode: string; population: number | null }[]
): AreaRate[] {
	const n = new Map(counts.map((c) => [c.pcode, c.n]));
	const pop = new Map(populations.map((p) => [p.pcode, p.population]));
	return pcodes.map((pcode) => {
		const people = pop.get(pcode) ?? null;
		const count = n.get(pcode) ?? 0;
		return {
			pcode,
			n: count,
			population: people,
			rate: people && people > 0 ? (count / people) * RATE_PER : null
		};
	});
}

/** A sequential palette (ColorBrewer OrRd, 5 classes): low rates pale, high rates dark red. */
export const RATE_COLOURS: [number, number, number][] = [
	[254, 240, 217],
	[253, 204, 138],
	[252, 141, 89],
	[227, 74, 51],
	[179, 0, 0]
];
export const RATE_FILL_ALPHA = 190;
/** "No data": neutral grey, visibly not the palest class. */
export const NO_DATA_COLOUR: [number, number, number, number] = [150, 150, 150, 90];

/** Rounds a class break to two significant figures so the legend reads "12 – 25", not "12.37…". */
function nice(v: number): number {
	if (v <= 0) return 0;
	const p = 10 ** (Math.floor(Math.log10(v)) - 1);
	return Math.ceil(v / p) * p;
}

/**
 * Upper bounds of up to five classes at the quantiles of the known rates (equal numbers of areas
 * per class, the usual choice for skewed rates). The last bound is the maximum, so every rate
 * falls in a class; repeated bounds collapse (few areas → fewer classes).
 */
export function rateBreaks(rates: readonly (number | null)[], classes = RATE_COLOURS.length) {
	const known = rates.filter((r): r is number => r !== null).sort((a, b) => a - b);
	if (known.length === 0) return [];
	const out: number[] = [];
	for (let i = 1; i <= classes; i++) {
		const q = known[Math.min(known.length - 1, Math.ceil((i / classes) * known.length) - 1)];
		const b = i === classes ? nice(known[known.length - 1]) : nice(q);
		if (!out.length || b > out[out.length - 1]) out.push(b);
	}
	return out;
}

/** The class of a rate (0 = lowest) given the upper bounds from rateBreaks; -1 for no data. */
export function rateClass(rate: number | null, breaks: readonly number[]): number {
	if (rate === null || breaks.length === 0) return -1;
	const i = breaks.findIndex((b) => rate <= b);
	return i === -1 ? breaks.length - 1 : i;
}

/** The fill of a class: the palette spread over however many classes there are. */
export function classColour(cls: number, classes: number): [number, number, number, number] {
	if (cls < 0) return NO_DATA_COLOUR;
	const idx =
		classes <= 1
			? RATE_COLOURS.length - 1
			: Math.round((cls * (RATE_COLOURS.length - 1)) / (classes - 1));
	return [...RATE_COLOURS[idx], RATE_FILL_ALPHA];
}
