import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { uuid } from '$lib/server/api/params';
import { movementAuthorisations } from '$lib/server/movements/authorisations';
import type { RequestHandler } from './$types';

/**
 * The access authorisations a plan's team needs (each district at the authorisation level or
 * listed × each team member and vehicle) and whether each is valid from departure to return.
 */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	return json(await movementAuthorisations(user, uuid('id', params.id)), {
		headers: { 'cache-control': 'private, no-store' }
	});
});
