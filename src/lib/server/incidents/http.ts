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
	INCIDENT_STATUSES,
	sqlFieldError,
	toSqlPayload
} from '../../domain/incident-schema.ts';
import { translator } from '../../i18n/index.ts';
import type { Adapter, CallerUser, CallOptions } from '../db/types.ts';
import { DbError } from '../db/types.ts';

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

/** The list's query string: the map's filters plus q, status, sort, dir, page, size. */
export function listQuery(params: URLSearchParams): ListQuery {
	const filters = parseIncidentFilters(params);
	const q = (params.get('q') ?? '').trim().slice(0, 200);
	const sort = params.get('sort') || (q ? 'relevance' : 'event_date');
	if (!(LIST_SORTS as readonly string[]).includes(sort))
		throw new FilterError('sort', `use one of ${LIST_SORTS.join(', ')}`);
	const dir = params.get('dir') === 'asc' ? 'asc' : 'desc';
	const page = Math.max(1, Math.min(1_000_000, Number(params.get('page')) || 1));
	const size = Math.max(1, Math.min(500, Number(params.get('size')) || 50));
	const status = params
		.getAll('status')
		.flatMap((s) => s.split(','))
		.filter(Boolean);
	for (const s of status)
		if (!(INCIDENT_STATUSES as readonly string[]).includes(s))
			throw new FilterError('status', `unknown status "${s}"`);
	return {
		args: {
			...filterArgs(filters),
			p_q: q || null,
			p_status: status.length ? status : null,
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
	{ ok: true; payload: Record<string, unknown> } | { ok: false; errors: Record<string, string> };

/** The shared schema on a body; errors are i18n keys per field. */
export function validateIncident(body: unknown): Validated {
	const r = incidentInputSchema.safeParse(body);
	if (!r.success) return { ok: false, errors: fieldErrors(r.error) };
	return { ok: true, payload: toSqlPayload(r.data) };
}

const en = translator('en');

/** 400 with {message, errors: {field: English message}} for the API. */
export function invalid(errors: Record<string, string>): Response {
	const english = Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, en(v as never)]));
	const [field, message] = Object.entries(english)[0] ?? ['body', 'invalid'];
	return json(
		{ message: `${field}: ${message}`, parameter: field, errors: english },
		{ status: 400 }
	);
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

export async function createIncident(
	db: Adapter,
	user: CallerUser,
	body: unknown,
	dup?: { km?: number; days?: number },
	opts?: CallOptions
) {
	const v = validateIncident(body);
	if (!v.ok) return { ok: false as const, errors: v.errors };
	try {
		// With an Idempotency-Key, a retry gets this same answer back and creates nothing.
		const r = await db.rpc<{ incident: Record<string, unknown>; duplicates: unknown[] }>(
			'incident_create',
			{ p: v.payload, p_dup_km: dup?.km, p_dup_days: dup?.days },
			user,
			opts
		);
		return { ok: true as const, ...r };
	} catch (e) {
		return { ok: false as const, errors: sqlErrors(e) };
	}
}

export async function listIncidents(db: Adapter, user: CallerUser, params: URLSearchParams) {
	const q = listQuery(params);
	const r = await db.rpc<{ total: number; rows: Record<string, unknown>[] }>(
		'incidents_list',
		q.args,
		user
	);
	return { ...r, query: q };
}

export async function incidentOr404<T>(p: Promise<T | null>): Promise<T> {
	const v = await p;
	if (v === null || v === undefined)
		error(404, { message: 'no such incident, or not visible to you' });
	return v;
}

/** The form's fields as the shared schema reads them (checkboxes are 'on' or absent). */
export function formToInput(form: FormData): Record<string, unknown> {
	const v = (k: string) => {
		const x = form.get(k);
		return typeof x === 'string' ? x : undefined;
	};
	return {
		event_date: v('event_date'),
		event_time: v('event_time'),
		time_precision: v('time_precision') || undefined,
		event_type: v('event_type') || undefined,
		sub_event_type: v('sub_event_type'),
		coordinates: v('coordinates'),
		admin_pcode: v('admin_pcode'),
		location_name: v('location_name'),
		actor1: v('actor1') ? { name: v('actor1') } : null,
		actor2: v('actor2') ? { name: v('actor2') } : null,
		fatalities: v('fatalities'),
		injuries: v('injuries'),
		abductions: v('abductions'),
		affects_us: form.get('affects_us') === 'on',
		affects_ngos: form.get('affects_ngos') === 'on',
		serious: form.get('serious') === 'on',
		ops_impact: v('ops_impact'),
		source: v('source'),
		source_reliability: v('source_reliability'),
		info_credibility: v('info_credibility'),
		confidentiality: v('confidentiality') || undefined,
		notes: v('notes') ?? '',
		status: v('status') || undefined
	};
}
