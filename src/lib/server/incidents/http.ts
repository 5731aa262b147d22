/**
 * The incident reporting API's work (/api/v1/incidents/report…), shared with the pages' form
 * actions: validation with the shared zod schema (errors per field, in English for the API),
 * then the SQL functions of 20261122001000_incident_workflow.sql, as the user.
 */
import { error, json } from '@sveltejs/kit';
import { FilterError, filterArgs, parseIncidentFilters } from '../../domain/filters.ts';
import {
	fieldErrors,
	incidentInputSchema,
	sqlFieldError,
	toSqlPayload
} from '../../domain/incident-schema.ts';
import { parseRefinement, refinementArgs } from '../../domain/refine-filters.ts';
import { translator } from '../../i18n/index.ts';
import type { CallerUser } from '../db/types.ts';
import { rpc } from '../db/index.ts';
import { checkArea, outsideMessage, type OperatingArea } from '../sites/area.ts';
import { DbError } from '../db/types.ts';

/** Who may edit, verify and merge incidents, and who may report them. */
export const ANALYSTS = ['admin', 'analyst'] as const;
export const REPORTERS = ['admin', 'analyst', 'field'] as const;

/** The duplicate window a caller may ask for (?km=…&days=…), checked. */
export function duplicateWindow(url: URL): { km?: number; days?: number } {
	const km = url.searchParams.get('km');
	const days = url.searchParams.get('days');
	const out: { km?: number; days?: number } = {};
	if (km !== null) {
		out.km = Number(km);
		if (!Number.isFinite(out.km) || out.km < 0 || out.km > 500)
			throw new FilterError('km', 'must be between 0 and 500');
	}
	if (days !== null) {
		out.days = Number(days);
		if (!Number.isInteger(out.days) || out.days < 0 || out.days > 365)
			throw new FilterError('days', 'must be a whole number between 0 and 365');
	}
	return out;
}

/**
 * A partial edit as the SQL patch: the fields sent are checked with the shared schema's rules,
 * on their own; unknown fields pass through so that the SQL check names them.
 */
export function partialPatch(
	body: Record<string, unknown>
): { ok: true; patch: Record<string, unknown> } | { ok: false; errors: Record<string, string> } {
	const shape = incidentInputSchema.safeParse({
		event_date: '2000-01-01',
		event_type: 'battles',
		coordinates: '0.5, 0.5',
		...body
	});
	if (!shape.success) return { ok: false, errors: fieldErrors(shape.error) };
	const full = toSqlPayload(shape.data);
	const patch: Record<string, unknown> = {};
	for (const k of Object.keys(body)) {
		if (k === 'coordinates' || k === 'lon' || k === 'lat') {
			patch.lon = full.lon;
			patch.lat = full.lat;
		} else if (k === 'actor1' || k === 'actor2') {
			for (const a of [`${k}`, `${k}_id`]) if (a in full) patch[a] = full[a];
			if (!(k in full) && !(`${k}_id` in full)) patch[k] = null;
		} else if (k in full) patch[k] = full[k];
		else if (k !== 'confirm_outside_area') patch[k] = body[k]; // unknown fields: the SQL check names them
	}
	return { ok: true, patch };
}

export const LIST_SORTS = [
	'event_date',
	'event_type',
	'fatalities',
	'status',
	'location',
	'admin1',
	'created_at',
	'updated_at',
	'relevance'
] as const;

export interface ListQuery {
	args: Record<string, unknown>;
	q: string;
	sort: string;
	dir: 'asc' | 'desc';
	page: number;
	size: number;
	status: string[];
}

/**
 * The list's query string: the map's filters (with the place and the further filters of
 * refine-filters.ts: status, lens, …) plus q, sort, dir, page, size.
 */
export function listQuery(params: URLSearchParams): ListQuery {
	const filters = parseIncidentFilters(params);
	const q = (params.get('q') ?? '').trim().slice(0, 200);
	const sort = params.get('sort') || (q ? 'relevance' : 'event_date');
	if (!(LIST_SORTS as readonly string[]).includes(sort))
		throw new FilterError('sort', `use one of ${LIST_SORTS.join(', ')}`);
	const dir = params.get('dir') === 'asc' ? 'asc' : 'desc';
	const page = Math.max(1, Math.min(1_000_000, Number(params.get('page')) || 1));
	const size = Math.max(1, Math.min(500, Number(params.get('size')) || 50));
	// The place and the further filters (status among them) of the map: refine-filters.ts.
	const refine = parseRefinement(params);
	const status = refine.more.status ?? [];
	return {
		args: {
			...filterArgs(filters),
			...refinementArgs(refine),
			p_q: q || null,
			p_sort: sort,
			p_dir: dir,
			p_limit: size,
			p_offset: (page - 1) * size
		},
		q,
		sort,
		dir,
		page,
		size,
		status
	};
}

export type Validated =
	| { ok: true; payload: Record<string, unknown>; sensitiveLocation?: boolean }
	| { ok: false; errors: Record<string, string> };

/** The shared schema on a body; errors are i18n keys per field. */
export function validateIncident(body: unknown): Validated {
	const r = incidentInputSchema.safeParse(body);
	if (!r.success) return { ok: false, errors: fieldErrors(r.error) };
	return { ok: true, payload: toSqlPayload(r.data), sensitiveLocation: r.data.sensitive_location };
}

const en = translator('en');

/** 400 with {message, errors: {field: English message}} for the API. */
export function invalid(errors: Record<string, string>): Response {
	return json(invalidBody(errors), { status: 400 });
}

/** The body of that 400 (also one refused item of a batch). */
export function invalidBody(errors: Record<string, string>) {
	const english = Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, en(v as never)]));
	const [field, message] = Object.entries(english)[0] ?? ['body', 'invalid'];
	return { message: `${field}: ${message}`, parameter: field, errors: english };
}

/** A DbError from the SQL validation ("field: reason") as a field error, else rethrown. */
export function sqlErrors(e: unknown): Record<string, string> {
	if (e instanceof DbError && e.httpStatus === 400) {
		const f = sqlFieldError(e.message);
		return f
			? {
					[f.field === 'lon' || f.field === 'lat' || f.field === 'location'
						? 'coordinates'
						: f.field]: f.reason
				}
			: { form: e.message };
	}
	throw e;
}

/** `confirm_outside_area` as the API (true) or the form ('on', '1') sends it. */
export function confirmedOutside(body: unknown): boolean {
	const c = (body as Record<string, unknown> | null)?.confirm_outside_area;
	return c === true || c === 'on' || c === '1' || c === 'true';
}

/**
 * A point outside the operating area, not confirmed: {coordinates: why} (the country it falls
 * in, and the swap that would land inside); null when the point is fine or not being set.
 */
export async function outsideArea(
	user: CallerUser,
	body: unknown,
	payload: Record<string, unknown>
): Promise<Record<string, string> | null> {
	if (typeof payload.lon !== 'number' || typeof payload.lat !== 'number') return null;
	if (confirmedOutside(body)) return null;
	const s = await rpc<{ operating_area: OperatingArea }>('app_settings_get', {}, user);
	const c = checkArea(payload.lon, payload.lat, s.operating_area);
	return c.inside ? null : { coordinates: outsideMessage(c) };
}

export async function incidentOr404<T>(p: Promise<T | null>): Promise<T> {
	const v = await p;
	if (v === null || v === undefined)
		error(404, { message: 'no such incident, or not visible to you' });
	return v;
}

// Shared with the browser's outbox, which sends the form as JSON (see $lib/offline).
export { formToInput } from '../../domain/incident-form.ts';
