// The map URL's place and further filters (issue 13): the same parameters as the API
// (geometry_id, lat, lon, within_km, precise; lens, sub_type, actor, status, reliability — see
// $lib/domain/refine-filters.ts), kept as one canonical query string in the map's state so that
// every incident request (points, density, counts, the list, the stacked-point list) sends them
// as they are. Parsing is forgiving like url-state.ts: a stale or hand-edited link drops the bad
// group of values and still opens the map. Inline `geometry=` is not kept: the map stores drawn
// shapes and links them by id (a long road would not fit in a URL).
import { FilterError } from '../domain/filters.ts';
import { parseMoreFilters, type MoreFilters } from '../domain/refine-filters.ts';
import { parseSpatialFilter, type SpatialFilter } from '../domain/spatial-filter.ts';

const PLACE_KEYS = ['geometry_id', 'lat', 'lon', 'within_km', 'precise'] as const;
const MORE_KEYS = ['lens', 'sub_type', 'actor', 'status', 'reliability'] as const;
/** Every parameter this module owns in the map's URL. */
export const REFINE_KEYS: readonly string[] = [...PLACE_KEYS, ...MORE_KEYS, 'geometry'];

export interface MapRefine {
	place: SpatialFilter;
	more: MoreFilters;
}

function tryParse<T>(parse: () => T, fallback: T): T {
	try {
		return parse();
	} catch (e) {
		if (e instanceof FilterError) return fallback;
		throw e;
	}
}

/** The map's refinement as the URL says it; invalid groups dropped. */
export function refineFromParams(params: URLSearchParams): MapRefine {
	const placeOnly = new URLSearchParams();
	for (const k of PLACE_KEYS) for (const v of params.getAll(k)) placeOnly.append(k, v);
	const place = tryParse(() => parseSpatialFilter(placeOnly), {} as SpatialFilter);
	const more: MoreFilters = {};
	for (const k of MORE_KEYS) {
		const one = new URLSearchParams();
		for (const v of params.getAll(k)) one.append(k, v);
		Object.assign(
			more,
			tryParse(() => parseMoreFilters(one), {})
		);
	}
	return { place, more };
}

/** The canonical query string of a refinement ('' for none), in a fixed order. */
export function refineQuery(r: MapRefine): string {
	const q = new URLSearchParams();
	const p = r.place;
	if (p.geometryId) q.set('geometry_id', p.geometryId);
	if (p.lat !== undefined && p.lon !== undefined) {
		q.set('lat', String(p.lat));
		q.set('lon', String(p.lon));
	}
	if (p.withinKm !== undefined) q.set('within_km', String(p.withinKm));
	if (p.preciseOnly) q.set('precise', 'true');
	const m = r.more;
	if (m.lens?.length) q.set('lens', m.lens.join(','));
	if (m.subTypes?.length) q.set('sub_type', m.subTypes.join(','));
	if (m.actors?.length) q.set('actor', m.actors.join(','));
	if (m.status?.length) q.set('status', m.status.join(','));
	if (m.reliability?.length) q.set('reliability', m.reliability.join(','));
	return q.toString();
}

/** parseMapUrl's field: the canonical string of what the URL holds. */
export const refineParam = (params: URLSearchParams) => refineQuery(refineFromParams(params));

/** The refinement back from its canonical string. */
export const parseRefine = (refine: string | undefined): MapRefine =>
	refineFromParams(new URLSearchParams(refine ?? ''));

/** Adds a refinement's parameters to a query (mapUrlParams, filterQuery). */
export function appendRefine(into: URLSearchParams, refine: string | undefined) {
	for (const k of REFINE_KEYS) into.delete(k);
	for (const [k, v] of new URLSearchParams(refine ?? '')) into.append(k, v);
	return into;
}

/** Whether the refinement has a place (a circle, a drawn shape or a corridor). */
export const hasPlace = (r: MapRefine) =>
	r.place.geometryId !== undefined || r.place.lat !== undefined;
