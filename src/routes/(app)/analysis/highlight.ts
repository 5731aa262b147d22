/**
 * What a hovered (or keyboard-focused) chart element stands for, turned into the query that asks
 * the server for exactly its incidents: the page's filters plus the element's own — the dates of
 * a time bin (cut to the filter's dates, as the bar's count is), the event types or areas of a
 * stacked group (including the "other" group and the "no area" group), a day, an hour, a weekday,
 * an actor or an area. Pure: the page and the tests share it.
 */
import { EVENT_TYPES } from '$lib/domain/taxonomy';
import { binEnd, type BinSize, type StackGroup } from '$lib/domain/analysis';
import type { IncidentFilters } from '$lib/domain/filters';
import { OTHER } from '$lib/charts/time-series';

export type HighlightTarget =
	/** A time-chart bin; `key` is one stacked segment (type, P-code, 'none', OTHER), null the whole bin. */
	| { kind: 'bin'; bin: string; key: string | null }
	| { kind: 'area'; pcode: string; level: 1 | 2 | 3 }
	| { kind: 'day'; date: string }
	| { kind: 'hour'; hour: number }
	| { kind: 'dow'; dow: number }
	| { kind: 'actor'; id: string };

/** What the charts were drawn from: the filters, the bins and the stacked groups kept. */
export interface ChartBasis {
	filters: Pick<IncidentFilters, 'from' | 'to' | 'types' | 'areas'>;
	by: BinSize;
	group: StackGroup;
	/** The time chart's stacked keys, OTHER included when the smaller groups were merged. */
	keys: string[];
}

const later = (a: string | undefined, b: string) => (a && a > b ? a : b);
const earlier = (a: string | undefined, b: string) => (a && a < b ? a : b);

/** The days a bin covers, cut to the filter's dates; null when nothing of it is left. */
export function binRange(
	bin: string,
	by: BinSize,
	filters: Pick<IncidentFilters, 'from' | 'to'>
): { from: string; to: string } | null {
	const from = later(filters.from, bin);
	const to = earlier(filters.to, binEnd(bin, by));
	return from <= to ? { from, to } : null;
}

/**
 * The query parameters (for /api/v1/map/highlight) of a target, or null when it can match
 * nothing (e.g. a bin outside the dates, or an "other" group of types with no type left).
 */
export function highlightParams(
	target: HighlightTarget,
	basis: ChartBasis
): URLSearchParams | null {
	const f = basis.filters;
	const q = new URLSearchParams();
	let from = f.from;
	let to = f.to;
	let types = f.types?.length ? f.types : undefined;
	const setAdmin = (level: number, key: 'admin_in' | 'admin_out', values: string[]) => {
		q.set('admin_level', String(level));
		q.set(key, values.join(','));
	};

	switch (target.kind) {
		case 'bin': {
			const r = binRange(target.bin, basis.by, f);
			if (!r) return null;
			({ from, to } = r);
			const key = target.key;
			if (key === null || basis.group === 'none') break;
			if (basis.group === 'type') {
				const pool = types ?? [...EVENT_TYPES];
				types =
					key === OTHER
						? pool.filter((t) => !basis.keys.includes(t))
						: pool.filter((t) => t === key);
				if (!types.length) return null;
			} else {
				const level = basis.group === 'area1' ? 1 : 2;
				if (key === OTHER)
					setAdmin(
						level,
						'admin_out',
						basis.keys.filter((k) => k !== OTHER)
					);
				else setAdmin(level, 'admin_in', [key]);
			}
			break;
		}
		case 'day':
			if ((from && target.date < from) || (to && target.date > to)) return null;
			from = to = target.date;
			break;
		case 'area':
			setAdmin(target.level, 'admin_in', [target.pcode]);
			break;
		case 'hour':
			q.set('hour', String(target.hour));
			break;
		case 'dow':
			q.set('dow', String(target.dow));
			break;
		case 'actor':
			q.set('actor', target.id);
			break;
	}
	if (from) q.set('from', from);
	if (to) q.set('to', to);
	if (types) q.set('type', types.join(','));
	if (f.areas?.length) q.set('area', f.areas.join(','));
	q.sort();
	return q;
}

/** A stable name for a target, for the per-bar cache and for tests. */
export function targetKey(t: HighlightTarget): string {
	switch (t.kind) {
		case 'bin':
			return `bin:${t.bin}:${t.key ?? ''}`;
		case 'area':
			return `area:${t.level}:${t.pcode}`;
		case 'day':
			return `day:${t.date}`;
		case 'hour':
			return `hour:${t.hour}`;
		case 'dow':
			return `dow:${t.dow}`;
		case 'actor':
			return `actor:${t.id}`;
	}
}
