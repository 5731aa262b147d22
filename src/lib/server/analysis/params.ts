/**
 * Query and body parameters of the analysis API and pages. Every failure is a FilterError naming
 * the parameter (→ 400 {message, parameter}). The incident filters are the map's
 * (parseIncidentFilters), so a link from the map opens the same selection here.
 */
import { checkDepth, checkVertices } from '../api/limits.ts';
import {
	FilterError,
	parseEventTypes,
	parseIncidentFilters,
	type IncidentFilters
} from '../../domain/filters.ts';
import { BIN_SIZES, STACK_GROUPS, type BinSize, type StackGroup } from '../../domain/analysis.ts';
import { LEVEL_NOTE_MAX } from '../../domain/analysis-levels.ts';
import { SITE_KINDS, type SiteKind } from '../../domain/taxonomy.ts';
import { isIsoDate, UUID } from '../../domain/codes.ts';
import { dateParam, intParam, oneOf, optionalIntParam, pcodeParam } from '../api/params.ts';

export const isRealDate = (s: string): boolean => isIsoDate(s);

/** The latest calendar date anywhere on Earth (UTC+14): what "not in the future" is checked against. */
export function latestToday(now = new Date()): string {
	return new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}

export interface StatsQuery {
	filters: IncidentFilters;
	by: BinSize;
	group: StackGroup;
}

/** /api/v1/stats/incidents: the map filters plus by (day|week|month) and group. */
export function parseStatsQuery(params: URLSearchParams): StatsQuery {
	return {
		filters: parseIncidentFilters(params),
		by: oneOf('by', params.get('by'), BIN_SIZES, 'month'),
		group: oneOf('group', params.get('group'), STACK_GROUPS, 'type')
	};
}

export function areaLevelParam(params: URLSearchParams, fallback = 1): 1 | 2 | 3 {
	return intParam(params, 'level', { min: 1, max: 3, fallback }) as 1 | 2 | 3;
}

export function limitParam(params: URLSearchParams, max: number, fallback: number): number {
	return intParam(params, 'limit', { min: 1, max, fallback });
}

/** Event types alone (the baseline and proximity take no area or viewport filter). */
export const typesParam = parseEventTypes;

export interface BaselineQuery {
	asOf?: string;
	types?: string[];
	level?: number;
	parent?: string;
}

export function parseBaselineQuery(params: URLSearchParams): BaselineQuery {
	const parent = params.get('parent');
	return {
		asOf: dateParam(params, 'as_of') ?? undefined,
		types: typesParam(params),
		level: optionalIntParam(params, 'level', { min: 0, max: 3 }),
		parent: parent ? pcodeParam(params, 'parent', { required: true }) : undefined
	};
}

export interface ProximityQuery {
	km: number;
	days: number;
	asOf?: string;
	siteKind?: SiteKind;
	siteId?: string;
	geometry?: unknown;
	types?: string[];
	limit: number;
}

/**
 * Proximity from a query string (GET) or a JSON body (POST, for drawn geometries too long for a
 * URL). Exactly one of site_kind (with an optional site_id) or geometry.
 */
export function parseProximity(input: URLSearchParams | Record<string, unknown>): ProximityQuery {
	const get = (k: string): string | null => {
		if (input instanceof URLSearchParams) return input.get(k);
		const v = input[k];
		if (v === undefined || v === null) return null;
		if (typeof v === 'object') return k === 'geometry' ? JSON.stringify(v) : String(v);
		return String(v);
	};
	const src =
		input instanceof URLSearchParams
			? input
			: { days: get('days'), limit: get('limit'), as_of: get('as_of') };
	const kmRaw = get('km');
	if (kmRaw === null || kmRaw.trim() === '')
		throw new FilterError('km', 'is required: the distance in kilometres');
	const km = Number(kmRaw);
	if (!Number.isFinite(km) || km <= 0 || km > 200)
		throw new FilterError('km', 'must be a number more than 0 and at most 200');
	const days = intParam(src, 'days', { min: 1, max: 36600, fallback: 30 });
	const asOf = dateParam(src, 'as_of') ?? undefined;
	const kindRaw = get('site_kind');
	const siteKind = kindRaw ? oneOf('site_kind', kindRaw, SITE_KINDS, SITE_KINDS[0]) : undefined;
	const idRaw = get('site_id');
	if (idRaw && !UUID.test(idRaw)) throw new FilterError('site_id', 'expected a UUID');
	if (idRaw && !siteKind) throw new FilterError('site_kind', 'is required with site_id');
	const geoRaw = get('geometry');
	let geometry: unknown;
	if (geoRaw) {
		try {
			geometry = JSON.parse(geoRaw);
		} catch {
			throw new FilterError('geometry', 'expected GeoJSON (a geometry or a Feature)');
		}
		if (geometry === null || typeof geometry !== 'object' || Array.isArray(geometry)) {
			throw new FilterError('geometry', 'expected GeoJSON (a geometry or a Feature)');
		}
		checkDepth('geometry', geometry);
		checkVertices('geometry', geometry);
	}
	if (!siteKind && !geometry)
		throw new FilterError(
			'site_kind',
			'give either site_kind (and optionally site_id) or geometry'
		);
	if (siteKind && geometry)
		throw new FilterError('geometry', 'give either site_kind or geometry, not both');
	const typeRaw = get('type');
	const types = typeRaw ? typesParam(new URLSearchParams({ type: typeRaw })) : undefined;
	return {
		km,
		days,
		asOf,
		siteKind,
		siteId: idRaw ? idRaw.toLowerCase() : undefined,
		geometry,
		types,
		limit: intParam(src, 'limit', { min: 0, max: 10000, fallback: 500 })
	};
}

export interface LevelInput {
	level: number;
	note: string;
	effectiveDate: string;
}

export type LevelErrorCode =
	'level_range' | 'note_type' | 'note_empty' | 'note_long' | 'date_invalid' | 'date_future';
const LEVEL_ERRORS: Record<LevelErrorCode, string> = {
	level_range: 'must be a whole number from 1 to 5',
	note_type: 'expected text',
	note_empty: 'must not be empty',
	note_long: `must have at most ${LEVEL_NOTE_MAX} characters`,
	date_invalid: 'expected a real date as YYYY-MM-DD',
	date_future: 'must not be in the future'
};

/**
 * A new security level from a JSON body or a form: the value, or every field error at once (keyed
 * by field: level, note, effective_date) so a form can show each next to its input.
 */
export function checkLevelInput(
	input: Record<string, unknown> | FormData,
	now = new Date()
): { value?: LevelInput; errors: Record<string, string>; codes: Record<string, LevelErrorCode> } {
	const get = (k: string): unknown => (input instanceof FormData ? input.get(k) : input[k]);
	const errors: Record<string, string> = {};
	const codes: Record<string, LevelErrorCode> = {};
	const bad = (field: string, code: LevelErrorCode) => {
		codes[field] = code;
		errors[field] = LEVEL_ERRORS[code];
	};
	const rawLevel = get('level');
	const level =
		typeof rawLevel === 'number'
			? rawLevel
			: typeof rawLevel === 'string' && /^\s*\d+\s*$/.test(rawLevel)
				? Number(rawLevel)
				: NaN;
	if (!Number.isInteger(level) || level < 1 || level > 5) bad('level', 'level_range');
	const rawNote = get('note');
	const note = typeof rawNote === 'string' ? rawNote.trim() : '';
	if (rawNote !== undefined && rawNote !== null && typeof rawNote !== 'string')
		bad('note', 'note_type');
	else if (!note) bad('note', 'note_empty');
	else if (note.length > LEVEL_NOTE_MAX) bad('note', 'note_long');
	const rawDate = get('effective_date');
	let effectiveDate = now.toISOString().slice(0, 10);
	if (rawDate !== undefined && rawDate !== null && typeof rawDate !== 'string')
		bad('effective_date', 'date_invalid');
	else {
		const d = typeof rawDate === 'string' ? rawDate.trim() : '';
		if (d && !isRealDate(d)) bad('effective_date', 'date_invalid');
		else if (d) effectiveDate = d;
		if (!codes.effective_date && effectiveDate > latestToday(now))
			bad('effective_date', 'date_future');
	}
	return Object.keys(errors).length
		? { errors, codes }
		: { value: { level, note, effectiveDate }, errors, codes };
}

/** The same for the API: the first field error as a FilterError (→ 400 naming the field). */
export function parseLevelInput(
	input: Record<string, unknown> | FormData,
	now = new Date()
): LevelInput {
	const { value, errors } = checkLevelInput(input, now);
	const [field] = Object.keys(errors);
	if (field) throw new FilterError(field, errors[field]);
	return value!;
}
