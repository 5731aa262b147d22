/**
 * Incidents, server side: the verbs over the SQL functions of the incident migrations, shared by
 * the pages, /api/v1 and the CLI. Each runs as the given user, so RLS decides what they see and
 * may change. Validation (the shared zod schema) is in ./http.ts.
 */
import { rpc, type CallerUser, type CallOptions } from '../db/index.ts';
import type { Adapter } from '../db/types.ts';
import { FilterError, filterArgs, type IncidentFilters } from '../../domain/filters.ts';
import { hasSpatialFilter, spatialArgs, type SpatialFilter } from '../../domain/spatial-filter.ts';
import {
	hasMoreFilters,
	moreArgs,
	refinementArgs,
	type MoreFilters,
	type Refinement
} from '../../domain/refine-filters.ts';
import type { IncidentRecord } from '../../domain/incident-record.ts';
import { listQuery, outsideArea, sqlErrors, validateIncident } from './http.ts';

/**
 * area= may name real areas only: the first P-code that is no area is refused (400 naming it),
 * where it would otherwise count 0 without a word. One call, and only when areas are given.
 */
export async function checkAreas(
	user: CallerUser,
	f: Pick<IncidentFilters, 'areas'>,
	db?: Adapter
): Promise<void> {
	if (!f.areas?.length) return;
	const args = { p_pcodes: f.areas };
	const unknown = db
		? await db.rpc<string[]>('areas_unknown', args, user)
		: await rpc<string[]>('areas_unknown', args, user);
	if (unknown.length) throw new FilterError('area', `no area with P-code ${unknown[0]}`);
}

/** A possible duplicate of an incident (incident_duplicates). */
export interface Duplicate {
	id: string;
	event_date: string;
	location_name: string | null;
	distance_km: number;
	status: string;
	source: string | null;
}

/** How near, in km and days, another incident must be to count as a possible duplicate. */
export interface DuplicateWindow {
	km?: number;
	days?: number;
}

export function get(user: CallerUser, id: string) {
	return rpc<IncidentRecord | null>('incident_get', { p_id: id }, user);
}

export function history(user: CallerUser, id: string) {
	return rpc<unknown[]>('incident_history', { p_id: id }, user);
}

export function duplicates(user: CallerUser, id: string, w: DuplicateWindow = {}) {
	return rpc<Duplicate[]>('incident_duplicates', { p_id: id, p_km: w.km, p_days: w.days }, user);
}

export function mergesOf(user: CallerUser, id: string) {
	return rpc<unknown[]>('incident_merges_of', { p_id: id }, user);
}

export function transition(user: CallerUser, id: string, to: string, reason: string | null) {
	return rpc('incident_transition', { p_id: id, p_to: to, p_reason: reason }, user);
}

/** Merges `other` into `keep`. */
export function merge(user: CallerUser, keep: string, other: string, reason: string | null) {
	return rpc('incident_merge', { p_keep: keep, p_merge: other, p_reason: reason }, user);
}

export function unmerge(user: CallerUser, mergeId: string) {
	return rpc('incident_unmerge', { p_merge_id: mergeId }, user);
}

/** Changes the fields in `patch` (SQL payload names); the others stay as they are. */
export function update(user: CallerUser, id: string, patch: Record<string, unknown>) {
	return rpc('incident_update', { p_id: id, p: patch }, user);
}

/**
 * Marks an incident's location sensitive or not (analysts, admins): its own SQL verb, called
 * after incident_create / incident_update when the field was sent (see
 * 20261203140000_location_fuzzing.sql). Answers the incident as incident_get does.
 */
export function setSensitiveLocation(user: CallerUser, id: string, value: boolean) {
	return rpc<IncidentRecord>('incident_set_sensitive_location', { p_id: id, p_value: value }, user);
}

const SETS_SENSITIVE = ['admin', 'analyst'];

/** Validates a report with the shared schema, then creates it: field errors or the incident. */
export async function create(
	user: CallerUser,
	body: unknown,
	dup?: DuplicateWindow,
	opts?: CallOptions
) {
	const v = validateIncident(body);
	if (!v.ok) return { ok: false as const, errors: v.errors };
	if (v.sensitiveLocation !== undefined && !SETS_SENSITIVE.includes(user.role))
		return { ok: false as const, errors: { sensitive_location: 'fuzz.error.analysts_only' } };
	const outside = await outsideArea(user, body, v.payload);
	if (outside) return { ok: false as const, errors: outside };
	try {
		const r = await rpc<{ incident: Record<string, unknown>; duplicates: unknown[] }>(
			'incident_create',
			{ p: v.payload, p_dup_km: dup?.km, p_dup_days: dup?.days },
			user,
			opts // with an Idempotency-Key, a retry gets this same answer back and creates nothing
		);
		if (v.sensitiveLocation !== undefined)
			r.incident = await setSensitiveLocation(user, String(r.incident.id), v.sensitiveLocation);
		return { ok: true as const, ...r };
	} catch (e) {
		return { ok: false as const, errors: sqlErrors(e) };
	}
}

/** The list page / report API's query (the map's filters + q, status, sort, dir, page, size). */
export async function list(user: CallerUser, params: URLSearchParams) {
	const q = listQuery(params);
	const r = await rpc<{ total: number; rows: Record<string, unknown>[] }>(
		'incidents_list',
		q.args,
		user
	);
	return { ...r, query: q };
}

/** The actors a report form offers, most used first. */
export function actorOptions(user: CallerUser, limit = 100) {
	return rpc<{ id: string; name: string }[]>('incident_actor_options', { p_limit: limit }, user);
}

/** Incidents as a GeoJSON FeatureCollection, newest first. */
export function geojson(
	user: CallerUser,
	f: IncidentFilters,
	limit: number,
	offset: number,
	r: Refinement = { place: {}, more: {} }
) {
	return rpc(
		'incidents_geojson',
		{ ...filterArgs(f), ...refinementArgs(r), p_limit: limit, p_offset: offset },
		user
	);
}

/**
 * Totals by year, governorate and event type. With a place (issue 13: a circle, polygon or
 * corridor) or further filters (NGO lens, sub-event type, actor, status, reliability) from incident_counts_in_place, which also says how many are located only
 * approximately (by_precision, imprecise); without, from incident_counts (rollup-backed).
 */
export function counts(
	user: CallerUser,
	f: IncidentFilters,
	place: SpatialFilter = {},
	more: MoreFilters = {}
) {
	// The rollup behind incident_counts knows neither places nor the further filters.
	if (hasSpatialFilter(place) || hasMoreFilters(more))
		return rpc(
			'incident_counts_in_place',
			{ ...filterArgs(f), ...spatialArgs(place), ...moreArgs(more) },
			user
		);
	return rpc('incident_counts', filterArgs(f), user);
}

/** Stores a drawn or uploaded filter geometry: {id, type, points, bbox} (same shape, same id). */
export function saveFilterGeometry(user: CallerUser, geometry: unknown) {
	return rpc<{ id: string }>('filter_geometry_save', { p_geometry: geometry }, user);
}

/** What storing an overlay's feature as a filter geometry answers (see filterGeometryFromOverlay). */
export interface OverlayFilterGeometry {
	id: string;
	type: string;
	points: number;
	bbox: [number, number, number, number];
	/** How the map filters by it: a corridor around a line, inside a polygon, a circle around a point. */
	kind: 'line' | 'polygon' | 'point';
	/** [lon, lat] of a single point. */
	point?: [number, number];
}

/**
 * Stores an overlay's feature (or, with `feature` null, the whole overlay) as a filter geometry,
 * read on the server under the caller's RLS: someone else's private overlay is "not found".
 */
export function filterGeometryFromOverlay(
	user: CallerUser,
	overlayId: string,
	feature: number | null,
	name: string | null = null
) {
	return rpc<OverlayFilterGeometry>(
		'filter_geometry_from_overlay',
		{ p_overlay_id: overlayId, p_idx: feature, p_name: name },
		user
	);
}

/** A stored filter geometry as {id, geometry, name} (name null for a drawn shape), or null. */
export function filterGeometry(user: CallerUser, id: string) {
	return rpc<{ id: string; geometry: unknown; name: string | null } | null>(
		'filter_geometry_get',
		{ p_id: id },
		user
	);
}
