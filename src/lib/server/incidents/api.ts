/**
 * The /api/v1 handlers of incident reporting, import and export, for scripts and integrations.
 * Each route file under src/routes/api/v1 re-exports one of these; they live here so that the
 * integration tests call exactly what the routes run.
 *
 *   GET  /api/v1/incidents/report              list: the map's filters + q, status, sort, dir, page, size
 *   POST /api/v1/incidents/report              report an incident (the shared zod schema, then SQL)
 *   GET  /api/v1/incidents/report/{id}         one incident with its history (and duplicates for analysts)
 *   POST /api/v1/incidents/report/{id}         edit the fields sent (analysts, admins)
 *   POST /api/v1/incidents/report/{id}/transition   {to, reason}: verify, reject, archive
 *   POST /api/v1/incidents/report/{id}/merge   {other, reason}: merge `other` into this one
 *   DELETE /api/v1/incidents/report/{id}/merge?merge=ID   undo a merge
 *   GET  /api/v1/imports                       the caller's recent imports and the saved mappings
 *   POST /api/v1/imports?into=…                import the request body (see ../import/http.ts)
 *   GET  /api/v1/exports?from=…&format=…       export (see ../export/http.ts)
 */
import { error, json, type RequestEvent } from '@sveltejs/kit';
import { getDb } from '../db/index.ts';
import { requireUser } from '../api/respond.ts';
import { apiRoute } from '../api/route.ts';
import { idempotencyKey } from '../api/idempotency.ts';
import { jsonBody, uuid, FilterError } from '../api/params.ts';
import { exportRequest } from '../export/http.ts';
import { importRequest } from '../import/http.ts';
import { createIncident, invalid, listIncidents, sqlErrors, validateIncident } from './http.ts';
import { incidentInputSchema, fieldErrors, toSqlPayload } from '../../domain/incident-schema.ts';

type Handler = (event: RequestEvent) => Promise<Response>;
const ANALYSTS = ['admin', 'analyst'] as const;
const REPORTERS = ['admin', 'analyst', 'field'] as const;

function dupParams(url: URL): { km?: number; days?: number } {
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

export const reportList: Handler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const r = await listIncidents(await getDb(), user, url.searchParams);
	return json({ total: r.total, page: r.query.page, size: r.query.size, rows: r.rows });
});

export const reportCreate: Handler = apiRoute(async ({ locals, request, url }) => {
	const user = requireUser(locals, REPORTERS);
	const body = await jsonBody(request);
	const r = await createIncident(await getDb(), user, body, dupParams(url), {
		idempotencyKey: idempotencyKey(request)
	});
	if (!r.ok) return invalid(r.errors);
	return json({ incident: r.incident, duplicates: r.duplicates }, { status: 201 });
});

export const reportGet: Handler = apiRoute(async ({ locals, params, url }) => {
	const user = requireUser(locals);
	const id = uuid('id', params.id);
	const db = await getDb();
	const incident = await db.rpc<Record<string, unknown> | null>('incident_get', { p_id: id }, user);
	if (!incident) error(404, { message: 'no such incident, or not visible to you' });
	const analyst = (ANALYSTS as readonly string[]).includes(user.role);
	const d = dupParams(url);
	const [history, duplicates, merges] = await Promise.all([
		db.rpc('incident_history', { p_id: id }, user),
		analyst ? db.rpc('incident_duplicates', { p_id: id, p_km: d.km, p_days: d.days }, user) : null,
		analyst ? db.rpc('incident_merges_of', { p_id: id }, user) : null
	]);
	return json({ incident, history, ...(analyst ? { duplicates, merges } : {}) });
});

export const reportUpdate: Handler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ANALYSTS);
	const id = uuid('id', params.id);
	const body = await jsonBody(request);
	// A partial edit: the fields sent are checked with the shared schema's rules, on their own.
	const shape = incidentInputSchema.safeParse({
		event_date: '2000-01-01',
		event_type: 'battles',
		coordinates: '0.5, 0.5',
		...body
	});
	if (!shape.success) return invalid(fieldErrors(shape.error));
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
		else patch[k] = body[k]; // unknown fields: the SQL check names them
	}
	try {
		return json(await (await getDb()).rpc('incident_update', { p_id: id, p: patch }, user));
	} catch (e) {
		return invalid(sqlErrors(e));
	}
});

export const reportTransition: Handler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ANALYSTS);
	const id = uuid('id', params.id);
	const body = await jsonBody(request);
	if (typeof body.to !== 'string') throw new FilterError('to', 'verified, rejected or archived');
	return json(
		await (
			await getDb()
		).rpc(
			'incident_transition',
			{ p_id: id, p_to: body.to, p_reason: typeof body.reason === 'string' ? body.reason : null },
			user
		)
	);
});

export const reportMerge: Handler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ANALYSTS);
	const id = uuid('id', params.id);
	const body = await jsonBody(request);
	const other = uuid('other', typeof body.other === 'string' ? body.other : null);
	return json(
		await (
			await getDb()
		).rpc(
			'incident_merge',
			{
				p_keep: id,
				p_merge: other,
				p_reason: typeof body.reason === 'string' ? body.reason : null
			},
			user
		)
	);
});

export const reportUnmerge: Handler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals, ANALYSTS);
	const merge = uuid('merge', url.searchParams.get('merge'));
	return json(await (await getDb()).rpc('incident_unmerge', { p_merge_id: merge }, user));
});

export const importsGet: Handler = apiRoute(async ({ locals }) => {
	const user = requireUser(locals, ANALYSTS);
	const db = await getDb();
	const [jobs, mappings] = await Promise.all([
		db.rpc('import_jobs_list', { p_limit: 50 }, user),
		db.rpc('import_mappings_list', {}, user)
	]);
	return json({ jobs, mappings });
});

export const importsPost: Handler = apiRoute(async ({ locals, request, url }) =>
	importRequest(await getDb(), requireUser(locals, ANALYSTS), request, url)
);

export const exportsGet: Handler = apiRoute(async ({ locals, url }) =>
	exportRequest(await getDb(), requireUser(locals), url)
);

export { validateIncident };
