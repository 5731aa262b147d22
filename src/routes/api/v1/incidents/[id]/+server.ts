import { error, json } from '@sveltejs/kit';
import * as incidents from '$lib/server/incidents';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { uuid } from '$lib/server/api/params';
import type { RequestHandler } from './$types';

/** One incident with actor and area names. RLS hides what the caller may not see: then 404. */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals);
	const id = uuid('id', params.id);
	const incident = await incidents.get(user, id);
	if (!incident) error(404, { message: 'no such incident, or not visible to you' });
	return json(incident);
});
