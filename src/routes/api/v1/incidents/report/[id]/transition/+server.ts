/** POST /api/v1/incidents/report/{id}/transition {to, reason}: verify, reject, archive. */
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { FilterError, jsonBody, uuid } from '$lib/server/api/params';
import * as incidents from '$lib/server/incidents';
import { ANALYSTS } from '$lib/server/incidents/http';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ANALYSTS);
	const id = uuid('id', params.id);
	const body = await jsonBody(request);
	if (typeof body.to !== 'string') throw new FilterError('to', 'verified, rejected or archived');
	const reason = typeof body.reason === 'string' ? body.reason : null;
	return json(await incidents.transition(user, id, body.to, reason));
});
