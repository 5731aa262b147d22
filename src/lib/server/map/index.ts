/**
 * The map's data, server side: the verbs over the SQL functions that the map, the area pickers
 * and /api/v1/{map,areas,sites} read. Each runs as the given user (RLS decides what is seen).
 */
import { rpc, type CallerUser } from '../db/index.ts';
import { filterArgs, type IncidentFilters } from '../../domain/filters.ts';
import type { SiteKind } from '../../domain/taxonomy.ts';
import { refinementArgs, type Refinement } from '../../domain/refine-filters.ts';

const NONE: Refinement = { place: {}, more: {} };

/** An area without geometry, for pickers. */
export interface AreaListItem {
	pcode: string;
	level: number;
	name_en: string;
	name_ar: string | null;
	parent_pcode?: string | null;
}

/**
 * The viewport's incidents: {total, fatalities, by_type, points: [[id, lon, lat, type, fatalities], …]}.
 * `complete`: the points only when all of them fit under `limit`, else none (and none looked for).
 */
export function incidents<T = unknown>(
	user: CallerUser,
	f: IncidentFilters,
	limit: number,
	r = NONE,
	complete = false
) {
	return rpc<T>(
		'incidents_map',
		{
			...filterArgs(f),
			...refinementArgs(r),
			p_limit: limit,
			p_complete: complete
		},
		user
	);
}

/** Incidents per cell of the Web Mercator grid nearest `cell` degrees wide: [[lon, lat, count, fatalities], …]. */
export function density(user: CallerUser, f: IncidentFilters, cell: number, r = NONE) {
	return rpc('incidents_density', { ...filterArgs(f), ...refinementArgs(r), p_cell: cell }, user);
}

/** The incidents behind one analysis chart bar (incidents_highlight's arguments as built by highlightArgs). */
export function highlight(user: CallerUser, args: Record<string, unknown>) {
	return rpc('incidents_highlight', args, user);
}

/** One admin level as GeoJSON, simplified by `tolerance` degrees when given. */
export function areas<T = unknown>(user: CallerUser, level: number, tolerance?: number) {
	return rpc<T>('areas_geojson', { p_level: level, p_tolerance: tolerance }, user);
}

/** Areas without geometry; all levels when `level` is null. */
export function areaList(user: CallerUser, level: number | null = null) {
	return rpc<AreaListItem[]>('areas_list', { p_level: level }, user);
}

/** One site registry as GeoJSON. */
export function sites<T = unknown>(user: CallerUser, kind: SiteKind) {
	return rpc<T>('sites_geojson', { p_kind: kind }, user);
}
