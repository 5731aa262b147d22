/**
 * The query of /api/v1/map/highlight: the incident filters (bbox optional) narrowed by what one
 * analysis chart bar stands for — hour, dow, actor, or a stack group of areas. Every failure is a
 * FilterError naming the parameter (→ 400).
 */
import {
	FilterError,
	filterArgs,
	parseIncidentFilters,
	type IncidentFilters
} from '../../domain/filters.ts';
import { PCODE, UUID } from '../../domain/codes.ts';

/** Most points returned; the counts stay exact. */
export const HIGHLIGHT_POINTS = { min: 0, max: 20_000, fallback: 5_000 } as const;

export interface HighlightQuery {
	filters: IncidentFilters;
	hour?: number;
	dow?: number;
	actor?: string;
	adminLevel?: 1 | 2 | 3;
	adminIn?: string[];
	adminOut?: string[];
	limit: number;
}

function int(params: URLSearchParams, name: string, min: number, max: number): number | undefined {
	const raw = params.get(name);
	if (raw === null || raw.trim() === '') return undefined;
	if (!/^\d+$/.test(raw.trim())) throw new FilterError(name, 'expected a whole number');
	const n = Number(raw);
	if (n < min || n > max) throw new FilterError(name, `must be between ${min} and ${max}`);
	return n;
}

/** P-codes, or 'none' for "no area at that level", comma-separated. */
function areaKeys(params: URLSearchParams, name: string): string[] | undefined {
	if (!params.has(name)) return undefined;
	const keys = params
		.getAll(name)
		.flatMap((v) => v.split(','))
		.map((v) => v.trim())
		.filter(Boolean);
	for (const k of keys) {
		if (k !== 'none' && !PCODE.test(k))
			throw new FilterError(name, `"${k}" is neither a P-code such as IQG15 nor none`);
	}
	if (keys.length > 500) throw new FilterError(name, 'at most 500 areas');
	return keys;
}

export function parseHighlightQuery(params: URLSearchParams): HighlightQuery {
	const filters = parseIncidentFilters(params);
	const q: HighlightQuery = {
		filters,
		limit:
			int(params, 'limit', HIGHLIGHT_POINTS.min, HIGHLIGHT_POINTS.max) ?? HIGHLIGHT_POINTS.fallback
	};
	q.hour = int(params, 'hour', 0, 23);
	q.dow = int(params, 'dow', 1, 7);
	const actor = params.get('actor')?.trim();
	if (actor) {
		if (!UUID.test(actor)) throw new FilterError('actor', 'expected an actor id (UUID)');
		q.actor = actor.toLowerCase();
	}
	const level = int(params, 'admin_level', 1, 3) as 1 | 2 | 3 | undefined;
	q.adminIn = areaKeys(params, 'admin_in');
	q.adminOut = areaKeys(params, 'admin_out');
	if ((q.adminIn || q.adminOut) && !level)
		throw new FilterError('admin_level', 'is required with admin_in or admin_out (1, 2 or 3)');
	q.adminLevel = level;
	return q;
}

/** incidents_highlight's named arguments. */
export function highlightArgs(q: HighlightQuery): Record<string, unknown> {
	return {
		...filterArgs(q.filters),
		p_hour: q.hour ?? null,
		p_dow: q.dow ?? null,
		p_actor: q.actor ?? null,
		p_admin_level: q.adminLevel ?? null,
		p_admin_in: q.adminIn ?? null,
		p_admin_out: q.adminOut ?? null,
		p_limit: q.limit
	};
}
