import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { registryKind, uuid } from '$lib/server/api/params';
import { populationHistory } from '$lib/server/sites';
import type { RequestHandler } from './$types';

/** A camp's (or displacement location's) population over time, oldest first. */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals);
	return json(await populationHistory(user, registryKind(params.kind), uuid('id', params.id)));
});
