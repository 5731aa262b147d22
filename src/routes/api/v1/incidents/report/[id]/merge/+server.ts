/**
 *   POST   /api/v1/incidents/report/{id}/merge             {other, reason}: merge `other` into this one
 *   DELETE /api/v1/incidents/report/{id}/merge?merge=ID    undo a merge
 */
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid } from '$lib/server/api/params';
import * as incidents from '$lib/server/incidents';
import { ANALYSTS } from '$lib/server/incidents/http';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ANALYSTS);
	const id = uuid('id', params.id);
	const body = await jsonBody(request);
	const other = uuid('other', typeof body.other === 'string' ? body.other : null);
	const reason = typeof body.reason === 'string' ? body.reason : null;
	return json(await incidents.merge(user, id, other, reason));
});

export const DELETE: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals, ANALYSTS);
	const merge = uuid('merge', url.searchParams.get('merge'));
	return json(await incidents.unmerge(user, merge));
});
