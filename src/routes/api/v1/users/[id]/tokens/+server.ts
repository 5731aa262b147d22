import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { uuid } from '$lib/server/api/params';
import { revokeAllTokens } from '$lib/server/auth';
import type { RequestHandler } from './$types';

/** Revokes every live API token of a user (admins only); says how many. */
export const DELETE: RequestHandler = apiRoute(async ({ locals, params }) => {
	const admin = requireUser(locals, ['admin']);
	return json(await revokeAllTokens(admin, uuid('id', params.id)));
});
