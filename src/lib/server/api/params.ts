/**
 * Query-string and body validation for the JSON API. Every failure is a FilterError naming the
 * parameter, which `apiRoute` turns into `400 {message, parameter}` so a script author sees at
 * once which part of the request to fix. The incident filters themselves are parsed by the
 * shared $lib/domain/filters (the map, the list and the exports read the same parameters).
 *
 * One signature style: `xParam(source, name, opts)`, where the source is a query string, a
 * route's path params or a JSON body. Absent optional values are null (or the fallback).
 */
import { checkDepth } from './limits.ts';
import {
	FilterError,
	parseBbox,
	parseIncidentFilters,
	type IncidentFilters
} from '../../domain/filters.ts';
import { SITE_KINDS, type SiteKind } from '../../domain/taxonomy.ts';
import { REGISTRY_KINDS, type RegistryKind } from '../../domain/registries.ts';
import { ISO_DATE, isIsoDate, PCODE, UUID } from '../../domain/codes.ts';
import { json } from '@sveltejs/kit';

export { FilterError };

interface RangeOptions {
	min: number;
	max: number;
	fallback?: number;
}

/** Where a parameter is read from: a query string, or a route's path params or a JSON body. */
export type ParamSource = URLSearchParams | Readonly<Record<string, unknown>>;

function read(src: ParamSource, name: string): string | null {
	if (src instanceof URLSearchParams) return src.get(name);
	const v = src[name];
	return v === undefined || v === null ? null : String(v);
}

/** Repeated and comma-separated values, trimmed, empty ones dropped. */
function readList(src: ParamSource, name: string): string[] {
	const raw =
		src instanceof URLSearchParams
			? src.getAll(name)
			: src[name] === undefined || src[name] === null
				? []
				: [String(src[name])];
	return raw
		.flatMap((v) => v.split(','))
		.map((v) => v.trim())
		.filter(Boolean);
}

/** A whole number within [min, max]; the fallback when absent (or a 400 when there is none). */
export function intParam(params: ParamSource, name: string, o: RangeOptions): number {
	const raw = read(params, name);
	if (raw === null || raw.trim() === '') return missing(name, o.fallback);
	if (!/^[+-]?\d+$/.test(raw.trim())) throw new FilterError(name, 'expected a whole number');
	return inRange(name, Number(raw), o);
}

/** A whole number within [min, max], or undefined when absent. */
export function optionalIntParam(
	params: ParamSource,
	name: string,
	o: { min: number; max: number }
): number | undefined {
	const raw = read(params, name);
	if (raw === null || raw.trim() === '') return undefined;
	return intParam(params, name, o);
}

/** A decimal number within [min, max]; the fallback when absent (or a 400 when there is none). */
export function numberParam(params: URLSearchParams, name: string, o: RangeOptions): number {
	const raw = params.get(name);
	if (raw === null || raw.trim() === '') return missing(name, o.fallback);
	const n = Number(raw.trim());
	if (!Number.isFinite(n)) throw new FilterError(name, 'expected a number');
	return inRange(name, n, o);
}

function missing(name: string, fallback: number | undefined): number {
	if (fallback === undefined) throw new FilterError(name, 'is required');
	return fallback;
}

function inRange(name: string, n: number, o: RangeOptions): number {
	if (n < o.min || n > o.max) throw new FilterError(name, `must be between ${o.min} and ${o.max}`);
	return n;
}

/** One value of a fixed list; the fallback when absent (or a 400 when there is none). */
export function oneOf<T extends string>(
	name: string,
	raw: string | null | undefined,
	allowed: readonly T[],
	fallback?: T
): T {
	if (raw === null || raw === undefined || raw === '') {
		if (fallback === undefined)
			throw new FilterError(name, `is required; use one of ${allowed.join(', ')}`);
		return fallback;
	}
	if (!(allowed as readonly string[]).includes(raw)) {
		throw new FilterError(name, `unknown value "${raw}"; use one of ${allowed.join(', ')}`);
	}
	return raw as T;
}

/** A calendar date YYYY-MM-DD (a real day); null when absent. */
export function dateParam(params: ParamSource, name: string): string | null {
	const raw = read(params, name)?.trim();
	if (!raw) return null;
	if (!ISO_DATE.test(raw)) throw new FilterError(name, 'expected a date as YYYY-MM-DD');
	if (!isIsoDate(raw)) throw new FilterError(name, 'not a real calendar date');
	return raw;
}

/** Repeated or comma-separated values of a fixed list, without repeats. */
export function listParam(
	params: ParamSource,
	name: string,
	o: { allowed: readonly string[] }
): string[] {
	const vals = readList(params, name);
	for (const v of vals) {
		if (!o.allowed.includes(v))
			throw new FilterError(name, `unknown value "${v}"; use one of ${o.allowed.join(', ')}`);
	}
	return [...new Set(vals)];
}

/** An admin-area P-code; null when absent, unless required. */
export function pcodeParam(params: ParamSource, name: string, o: { required: true }): string;
export function pcodeParam(
	params: ParamSource,
	name: string,
	o?: { required?: boolean }
): string | null;
export function pcodeParam(
	params: ParamSource,
	name: string,
	o: { required?: boolean } = {}
): string | null {
	const raw = read(params, name)?.trim();
	if (!raw && !o.required) return null;
	if (!raw || !PCODE.test(raw))
		throw new FilterError(name, 'expected a P-code such as IQG01 or IQD0101');
	return raw;
}

/** P-codes, or 'none' for "no area at that level", comma-separated; undefined when absent. */
export function areaKeysParam(params: ParamSource, name: string): string[] | undefined {
	if (read(params, name) === null) return undefined;
	const keys = readList(params, name);
	for (const k of keys) {
		if (k !== 'none' && !PCODE.test(k))
			throw new FilterError(name, `"${k}" is neither a P-code such as IQG15 nor none`);
	}
	if (keys.length > 500) throw new FilterError(name, 'at most 500 areas');
	return keys;
}

/** An id (UUID), lower-cased; null when absent. */
export function uuidParam(params: ParamSource, name: string): string | null {
	const raw = read(params, name)?.trim();
	if (!raw) return null;
	if (!UUID.test(raw)) throw new FilterError(name, 'expected a UUID');
	return raw.toLowerCase();
}

/** Free text, trimmed, at most `max` characters (200 by default); null when absent. */
export function textParam(
	params: ParamSource,
	name: string,
	o: { max?: number } = {}
): string | null {
	const max = o.max ?? 200;
	const raw = read(params, name)?.trim();
	if (!raw) return null;
	if (raw.length > max) throw new FilterError(name, `must have at most ${max} characters`);
	return raw;
}

/** 400 with every field's error; `parameter` names the first so scripts can branch on it. */
export function invalid(errors: Record<string, string>): Response {
	const [first, message] = Object.entries(errors)[0] ?? ['body', 'invalid'];
	return json({ message: `${first}: ${message}`, parameter: first, errors }, { status: 400 });
}

/** A path or body id: a UUID, lower-cased (a malformed one would otherwise be a SQL error). */
export function uuid(name: string, raw: string | null | undefined): string {
	if (!raw || !UUID.test(raw)) throw new FilterError(name, 'expected a UUID');
	return raw.toLowerCase();
}

export function siteKind(raw: string | undefined): SiteKind {
	return oneOf('kind', raw, SITE_KINDS);
}

/** A registry that can be edited: the site kinds plus displacement locations. */
export function registryKind(raw: string | undefined): RegistryKind {
	return oneOf('kind', raw, REGISTRY_KINDS);
}

/** The incident filters plus the bbox that the map endpoints cannot do without. */
export function mapFilters(
	params: URLSearchParams
): IncidentFilters & { bbox: [number, number, number, number] } {
	if (!params.get('bbox'))
		throw new FilterError('bbox', 'is required: west,south,east,north in degrees');
	const f = parseIncidentFilters(params);
	return { ...f, bbox: f.bbox ?? parseBbox(params.get('bbox')!) };
}

/** Filters for the endpoints whose SQL function has no viewport (counts). */
export function filtersWithoutBbox(params: URLSearchParams): IncidentFilters {
	if (params.has('bbox'))
		throw new FilterError('bbox', 'is not supported here; filter by area instead');
	return parseIncidentFilters(params);
}

export const INCIDENTS_PAGE = { min: 1, max: 10_000, fallback: 1000 } as const;
export const MAP_POINTS = { min: 1, max: 50_000, fallback: 20_000 } as const;
export const DENSITY_CELL = { min: 0.001, max: 5 } as const;
export const AREA_TOLERANCE = { min: 0, max: 0.1 } as const;
export const AREA_LEVELS = ['1', '2', '3'] as const;

/**
 * Grid cell for the density endpoint when the client gives none: about 128 cells across the
 * viewport, which stays a few KB of JSON at any zoom.
 */
export function defaultCell(bbox: [number, number, number, number]): number {
	const c = (bbox[2] - bbox[0]) / 128;
	return Math.min(DENSITY_CELL.max, Math.max(DENSITY_CELL.min, Number(c.toPrecision(2))));
}

/** A JSON request body as a plain object, or a 400 naming `body`. */
export async function jsonBody(request: Request): Promise<Record<string, unknown>> {
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		throw new FilterError('body', 'expected a JSON object (content-type: application/json)');
	}
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		throw new FilterError('body', 'expected a JSON object');
	}
	checkDepth('body', body);
	return body as Record<string, unknown>;
}

/** A string field of a body: trimmed, within a length range; '' when optional and absent. */
export function textField(
	body: Record<string, unknown>,
	name: string,
	o: { min?: number; max: number; required?: boolean; trim?: boolean }
): string {
	const v = body[name];
	if (v === undefined || v === null) {
		if (o.required) throw new FilterError(name, 'is required');
		return '';
	}
	if (typeof v !== 'string') throw new FilterError(name, 'expected a string');
	const s = o.trim === false ? v : v.trim();
	if (s.length < (o.min ?? 0))
		throw new FilterError(
			name,
			o.min === 1 ? 'must not be empty' : `must have at least ${o.min} characters`
		);
	if (s.length > o.max) throw new FilterError(name, `must have at most ${o.max} characters`);
	return s;
}
