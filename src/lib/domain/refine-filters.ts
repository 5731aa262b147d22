// The map's further incident filters (issue 13), read alike by the map, the list, the counts, the
// GeoJSON API and the exports, beside the shared filters (filters.ts) and the place
// (spatial-filter.ts). In the URL:
//   lens=us,ngos,serious     the NGO lens: incidents that affect us, affect NGOs, or are serious
//                            (any of those ticked)
//   sub_type=…               sub-event types (ACLED's words, e.g. "Armed clash")
//   actor=<uuid>,…           incidents naming one of these actors (actor 1 or 2)
//   status=verified,…        verification status
//   reliability=A,B          source reliability (admiralty A–F)
// The SQL (public.incidents_refined) applies them; here they are checked so that a script author
// gets the parameter's name in a 400.
import { FilterError } from './filters.ts';
import { UUID } from './codes.ts';
import { INCIDENT_STATUSES } from './incident-schema.ts';
import { parseSpatialFilter, spatialArgs, type SpatialFilter } from './spatial-filter.ts';

export const LENSES = ['us', 'ngos', 'serious'] as const;
export type Lens = (typeof LENSES)[number];
export const RELIABILITIES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

export interface MoreFilters {
	lens?: Lens[];
	subTypes?: string[];
	actors?: string[];
	status?: string[];
	reliability?: string[];
}

export const MORE_PARAMS = ['lens', 'sub_type', 'actor', 'status', 'reliability'] as const;

function list(params: URLSearchParams, name: string): string[] {
	const out = params
		.getAll(name)
		.flatMap((v) => v.split(','))
		.map((v) => v.trim())
		.filter(Boolean);
	if (out.length > 50) throw new FilterError(name, 'at most 50 values');
	return [...new Set(out)];
}

function oneOf<T extends string>(name: string, values: string[], allowed: readonly T[]): T[] {
	for (const v of values)
		if (!(allowed as readonly string[]).includes(v))
			throw new FilterError(name, `unknown value "${v}"; use one of ${allowed.join(', ')}`);
	return values as T[];
}

export function parseMoreFilters(params: URLSearchParams): MoreFilters {
	const out: MoreFilters = {};
	const lens = oneOf('lens', list(params, 'lens'), LENSES);
	if (lens.length) out.lens = lens;
	const sub = list(params, 'sub_type');
	for (const s of sub) if (s.length > 100) throw new FilterError('sub_type', 'too long');
	if (sub.length) out.subTypes = sub;
	const actors = list(params, 'actor').map((a) => a.toLowerCase());
	for (const a of actors) if (!UUID.test(a)) throw new FilterError('actor', 'expected actor ids');
	if (actors.length) out.actors = actors;
	const status = oneOf('status', list(params, 'status'), INCIDENT_STATUSES);
	if (status.length) out.status = status;
	const rel = oneOf(
		'reliability',
		list(params, 'reliability').map((r) => r.toUpperCase()),
		RELIABILITIES
	);
	if (rel.length) out.reliability = rel;
	return out;
}

export const hasMoreFilters = (m: MoreFilters) => Object.keys(m).length > 0;

/** The SQL functions' named arguments for the further filters. */
export function moreArgs(m: MoreFilters): Record<string, unknown> {
	return {
		p_lens: m.lens ?? null,
		p_sub_types: m.subTypes ?? null,
		p_actors: m.actors ?? null,
		p_status: m.status ?? null,
		p_reliability: m.reliability ?? null
	};
}

/** A place and the further filters: what public.incidents_refined takes beyond the shared filters. */
export interface Refinement {
	place: SpatialFilter;
	more: MoreFilters;
}

export function parseRefinement(params: URLSearchParams): Refinement {
	return { place: parseSpatialFilter(params), more: parseMoreFilters(params) };
}

export function refinementArgs(r: Refinement): Record<string, unknown> {
	return { ...spatialArgs(r.place), ...moreArgs(r.more) };
}
