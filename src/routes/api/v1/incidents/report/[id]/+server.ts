/**
 *   GET  /api/v1/incidents/report/{id}   one incident with its history (and duplicates for analysts)
 *   POST /api/v1/incidents/report/{id}   edit the fields sent (analysts, admins)
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
	const p = partialPatch(await jsonBody(request));
	if (!p.ok) return invalid(p.errors);
	try {
		return json(await incidents.update(user, id, p.patch));
	} catch (e) {
		return invalid(sqlErrors(e));
	}
});
