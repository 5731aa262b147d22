import { z } from 'zod';
import { EVENT_TYPES } from './taxonomy.ts';
import { isPcode, zIsoDate } from './codes.ts';

/**
 * The incident filters shared by the map, the list, the API and exports. They live in the URL
 * (from, to, type, area, bbox) so a view can be bookmarked and shared. area= is one admin area's
 * P-code or several, comma-separated (area=IQG08,IQG15Q08; repeating area= works too), any level
 * and mixed: an incident is in when it lies in one of them (a parent and its child count it once).
 */
export interface IncidentFilters {
	from?: string;
	to?: string;
	types?: string[];
	areas?: string[];
	bbox?: [number, number, number, number];
}

export class FilterError extends Error {
	constructor(
		readonly parameter: string,
		message: string
	) {
		super(`${parameter}: ${message}`);
	}
}

const isoDate = zIsoDate;

/** At most this many areas in one filter (a URL stays short; the SQL list stays small). */
export const MAX_AREAS = 50;

/** area= as a list of P-codes: each checked, duplicates dropped, in the order given. */
export function parseAreaCodes(params: URLSearchParams, name = 'area'): string[] {
	const codes = [
		...new Set(
			params
				.getAll(name)
				.flatMap((a) => a.split(','))
				.map((a) => a.trim())
				.filter(Boolean)
		)
	];
	if (codes.length > MAX_AREAS) throw new FilterError(name, `at most ${MAX_AREAS} areas`);
	for (const c of codes)
		if (!isPcode(c)) throw new FilterError(name, `"${c}" is not a P-code such as IQG01 or IQD0101`);
	return codes;
}

export function parseIncidentFilters(params: URLSearchParams): IncidentFilters {
	const out: IncidentFilters = {};
	const from = params.get('from');
	const to = params.get('to');
	if (from) out.from = check('from', isoDate, from);
	if (to) out.to = check('to', isoDate, to);
	if (out.from && out.to && out.from > out.to)
		throw new FilterError('to', 'must not be before from');

	const types = parseEventTypes(params);
	if (types) out.types = types;

	const areas = parseAreaCodes(params);
	if (areas.length) out.areas = areas;

	const bbox = params.get('bbox');
	if (bbox) out.bbox = parseBbox(bbox);
	return out;
}

/** `type=` (repeated or comma-separated): known event types, each once; undefined when none. */
export function parseEventTypes(params: URLSearchParams): string[] | undefined {
	const types = params
		.getAll('type')
		.flatMap((t) => t.split(','))
		.map((t) => t.trim())
		.filter(Boolean);
	for (const t of types) {
		if (!(EVENT_TYPES as readonly string[]).includes(t)) {
			throw new FilterError(
				'type',
				`unknown event type "${t}"; use one of ${EVENT_TYPES.join(', ')}`
			);
		}
	}
	return types.length ? [...new Set(types)] : undefined;
}

export function parseBbox(raw: string): [number, number, number, number] {
	const parts = raw.split(',').map((p) => Number(p.trim()));
	if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
		throw new FilterError('bbox', 'expected west,south,east,north in degrees');
	}
	const [w, s, e, n] = parts;
	if (w < -180 || e > 180 || s < -90 || n > 90)
		throw new FilterError('bbox', 'coordinates out of range');
	if (w >= e || s >= n) throw new FilterError('bbox', 'west must be < east and south < north');
	return [w, s, e, n];
}

function check<T>(parameter: string, schema: z.ZodType<T>, value: string): T {
	const r = schema.safeParse(value);
	if (!r.success) throw new FilterError(parameter, r.error.issues[0]?.message ?? 'invalid');
	return r.data;
}

/** The SQL functions' named arguments for a set of filters. */
export function filterArgs(f: IncidentFilters): Record<string, unknown> {
	return {
		p_from: f.from ?? null,
		p_to: f.to ?? null,
		p_types: f.types ?? null,
		p_area: f.areas?.length ? f.areas : null,
		...(f.bbox
			? { p_west: f.bbox[0], p_south: f.bbox[1], p_east: f.bbox[2], p_north: f.bbox[3] }
			: {})
	};
}

/** Writes filters back to URL parameters (the inverse of parseIncidentFilters). */
export function filtersToParams(f: IncidentFilters, into = new URLSearchParams()): URLSearchParams {
	for (const k of ['from', 'to', 'type', 'area', 'bbox']) into.delete(k);
	if (f.from) into.set('from', f.from);
	if (f.to) into.set('to', f.to);
	if (f.types?.length) into.set('type', f.types.join(','));
	if (f.areas?.length) into.set('area', f.areas.join(','));
	if (f.bbox) into.set('bbox', f.bbox.join(','));
	return into;
}
