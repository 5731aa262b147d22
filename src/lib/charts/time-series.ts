/**
 * Time-series maths for the stacked time chart: the SQL answers sparse bins; this fills the gaps
 * with zeros, keeps the largest groups (the rest become "other"), stacks them with d3 and gives
 * the scales. Pure: the Svelte component only draws what this returns.
 */
import {
	max,
	scaleLinear,
	scaleUtc,
	stack,
	stackOrderNone,
	stackOffsetNone,
	type ScaleLinear,
	type ScaleTime
} from 'd3';
import { binsBetween, nextBin, type BinSize } from '../domain/analysis.ts';
import type { IncidentStats } from '../domain/analysis-types.ts';

export const OTHER = '__other__';

export type Metric = 'n' | 'fatalities';

export interface SeriesRow {
	bin: string;
	/** First day of the next bin (the bar's right edge). */
	next: string;
	total: number;
	values: Record<string, number>;
	/**
	 * The keys whose incidents in this bin all lack a fatality count (the SQL's null): drawn as
	 * none, read out and exported as not known rather than 0. Empty for the incident counts.
	 */
	unknown: string[];
	/** Every incident of the bin lacks a fatality count: its total is not known either. */
	totalUnknown: boolean;
}

export interface StackedBar {
	key: string;
	bin: string;
	next: string;
	y0: number;
	y1: number;
	value: number;
}

export interface TimeSeries {
	by: BinSize;
	keys: string[];
	rows: SeriesRow[];
	bars: StackedBar[];
	maxTotal: number;
	/** The whole period drawn: [first bin's first day, day after the last bin]. */
	domain: [string, string];
}

/** Keeps the `maxKeys` − 1 largest groups and merges the rest into OTHER (when there are more). */
export function topKeys(
	stats: Pick<IncidentStats, 'groups'>,
	metric: Metric,
	maxKeys: number
): string[] {
	const ranked = [...stats.groups]
		// an unknown fatality count (null) ranks and stacks as none
		.sort((a, b) => (b[metric] ?? 0) - (a[metric] ?? 0) || a.key.localeCompare(b.key))
		.map((g) => g.key);
	if (ranked.length <= maxKeys) return ranked;
	return [...ranked.slice(0, maxKeys - 1), OTHER];
}

/**
 * Every bin from `from` (or the first incident) to `to` (or the last), zeros included, with each
 * kept group's value, stacked in the order of `keys`.
 */
export function timeSeries(
	stats: IncidentStats,
	opts: { metric?: Metric; from?: string | null; to?: string | null; maxKeys?: number } = {}
): TimeSeries | null {
	const metric = opts.metric ?? 'n';
	const from = opts.from ?? stats.first_date;
	const to = opts.to ?? stats.last_date;
	if (!from || !to || stats.total === 0) return null;
	const keys = topKeys(stats, metric, opts.maxKeys ?? 8);
	const kept = new Set(keys);
	const byBin = new Map<string, Record<string, number>>();
	// per bin and key: whether some incident of it has a count (false: none has, the SQL's null)
	const known = new Map<string, Record<string, boolean>>();
	for (const b of stats.bins) {
		const k = kept.has(b.key) ? b.key : OTHER;
		const v = (byBin.get(b.bin) ?? {}) as Record<string, number>;
		v[k] = (v[k] ?? 0) + (b[metric] ?? 0);
		byBin.set(b.bin, v);
		const kn = known.get(b.bin) ?? {};
		kn[k] = (kn[k] ?? false) || b[metric] !== null;
		known.set(b.bin, kn);
	}
	const rows: SeriesRow[] = binsBetween(from, to, stats.by).map((bin) => {
		const values: Record<string, number> = {};
		for (const k of keys) values[k] = byBin.get(bin)?.[k] ?? 0;
		const kn = known.get(bin) ?? {};
		const unknown = keys.filter((k) => kn[k] === false);
		return {
			bin,
			next: nextBin(bin, stats.by),
			total: keys.reduce((s, k) => s + values[k], 0),
			values,
			unknown,
			totalUnknown: unknown.length > 0 && unknown.length === Object.keys(kn).length
		};
	});
	const layers = stack<SeriesRow, string>()
		.keys(keys)
		.value((r, k) => r.values[k])
		.order(stackOrderNone)
		.offset(stackOffsetNone)(rows);
	const bars: StackedBar[] = [];
	for (const layer of layers) {
		for (let i = 0; i < layer.length; i++) {
			const [y0, y1] = layer[i];
			if (y1 > y0)
				bars.push({ key: layer.key, bin: rows[i].bin, next: rows[i].next, y0, y1, value: y1 - y0 });
		}
	}
	return {
		by: stats.by,
		keys,
		rows,
		bars,
		maxTotal: max(rows, (r) => r.total) ?? 0,
		domain: [rows[0].bin, rows[rows.length - 1].next]
	};
}

export const utc = (d: string) => new Date(`${d}T00:00:00Z`);

export function timeScales(
	series: TimeSeries,
	size: { width: number; height: number; left: number; right: number; top: number; bottom: number }
): { x: ScaleTime<number, number>; y: ScaleLinear<number, number> } {
	const x = scaleUtc()
		.domain(series.domain.map(utc))
		.range([size.left, size.width - size.right]);
	const y = scaleLinear()
		.domain([0, Math.max(1, series.maxTotal)])
		.nice()
		.range([size.height - size.bottom, size.top]);
	return { x, y };
}

/**
 * The dates a brush from pixel a to pixel b selects, snapped outward to whole bins: from = the
 * first day of the bin under the left edge, to = the last day of the bin under the right edge.
 */
export function brushDates(
	series: TimeSeries,
	x: ScaleTime<number, number>,
	a: number,
	b: number
): { from: string; to: string } | null {
	const [lo, hi] = a <= b ? [a, b] : [b, a];
	const t0 = x.invert(lo).getTime();
	const t1 = x.invert(hi).getTime();
	const within = series.rows.filter(
		(r) => utc(r.next).getTime() > t0 && utc(r.bin).getTime() <= t1
	);
	if (!within.length) return null;
	const last = within[within.length - 1];
	return {
		from: within[0].bin,
		to: new Date(utc(last.next).getTime() - 86_400_000).toISOString().slice(0, 10)
	};
}

/** CSV rows of a series: one line per bin with a column per group and the total. */
export function seriesTable(
	series: TimeSeries,
	label: (key: string) => string
): { header: string[]; rows: (string | number | null)[][] } {
	// a count not known is an empty cell, not 0
	return {
		header: ['bin_start', ...series.keys.map(label), 'total'],
		rows: series.rows.map((r) => [
			r.bin,
			...series.keys.map((k) => (r.unknown.includes(k) ? null : r.values[k])),
			r.totalUnknown ? null : r.total
		])
	};
}
