/**
 *   GET  /api/v1/incidents/report/{id}   one incident with its history (and duplicates for analysts)
 *   PATCH /api/v1/incidents/report/{id}  edit the fields sent, the rest untouched (analysts, admins)
 *   POST  the same (kept for existing clients)
 */
import { error, json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid } from '$lib/server/api/params';
import * as incidents from '$lib/server/incidents';
import {
	ANALYSTS,
	duplicateWindow,
	invalid,
	outsideArea,
	partialPatch,
	sqlErrors
} from '$lib/server/incidents/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = apiRoute(async ({ locals, params, url }) => {
	const user = requireUser(locals);
	const id = uuid('id', params.id);
	const incident = await incidents.get(user, id);
	if (!incident) error(404, { message: 'no such incident, or not visible to you' });
	const analyst = (ANALYSTS as readonly string[]).includes(user.role);
	const w = duplicateWindow(url);
	const [history, duplicates, merges] = await Promise.all([
		incidents.history(user, id),
		analyst ? incidents.duplicates(user, id, w) : null,
		analyst ? incidents.mergesOf(user, id) : null
	]);
	return json({ incident, history, ...(analyst ? { duplicates, merges } : {}) });
});

export const POST: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ANALYSTS);
	const id = uuid('id', params.id);
	// sensitive_location has its own SQL verb (location fuzzing), after the other fields.
	const { sensitive_location: sensitive, ...body } = await jsonBody(request);
	if (sensitive !== undefined && typeof sensitive !== 'boolean')
		return invalid({ sensitive_location: 'fuzz.error.boolean' });
	const p = partialPatch(body);
	if (!p.ok) return invalid(p.errors);
	const outside = await outsideArea(user, body, p.patch);
	if (outside) return invalid(outside);
	try {
		const edits = Object.keys(p.patch).length > 0 || sensitive === undefined;
		let r = edits ? await incidents.update(user, id, p.patch) : null;
		if (sensitive !== undefined) r = await incidents.setSensitiveLocation(user, id, sensitive);
		return json(r);
	} catch (e) {
		return invalid(sqlErrors(e));
	}
});

export const PATCH = POST;
