import { error, json } from '@sveltejs/kit';
import * as incidents from '$lib/server/incidents';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { uuid } from '$lib/server/api/params';
import type { RequestHandler } from './$types';

/** A stored filter geometry: {id, geometry, name} (name: the overlay feature it was made from). */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals);
	const g = await incidents.filterGeometry(user, uuid('id', params.id));
	if (!g) error(404, { message: 'No such filter geometry' });
	return json(g);
});
