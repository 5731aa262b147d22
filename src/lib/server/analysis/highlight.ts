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
import { UUID } from '../../domain/codes.ts';
import { areaKeysParam, intParam, optionalIntParam } from '../api/params.ts';

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

export function parseHighlightQuery(params: URLSearchParams): HighlightQuery {
	const filters = parseIncidentFilters(params);
	const q: HighlightQuery = {
		filters,
		limit: intParam(params, 'limit', HIGHLIGHT_POINTS)
	};
	q.hour = optionalIntParam(params, 'hour', { min: 0, max: 23 });
	q.dow = optionalIntParam(params, 'dow', { min: 1, max: 7 });
	const actor = params.get('actor')?.trim();
	if (actor) {
		if (!UUID.test(actor)) throw new FilterError('actor', 'expected an actor id (UUID)');
		q.actor = actor.toLowerCase();
	}
	const level = optionalIntParam(params, 'admin_level', { min: 1, max: 3 }) as
		1 | 2 | 3 | undefined;
	q.adminIn = areaKeysParam(params, 'admin_in');
	q.adminOut = areaKeysParam(params, 'admin_out');
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
