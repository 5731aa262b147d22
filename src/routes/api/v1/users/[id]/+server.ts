import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid } from '$lib/server/api/params';
import { checkUserPatch, updateUser } from '$lib/server/auth';
import type { RequestHandler } from './$types';

/**
 * Changes a user's role and/or enables or disables them: {"role": "analyst"}, {"disabled": false}.
 * Merge semantics; admins only, not on themselves; audited with the admin as actor.
 */
export const PATCH: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const admin = requireUser(locals, ['admin']);
	const id = uuid('id', params.id);
	return json(await updateUser(admin, id, checkUserPatch(await jsonBody(request))));
});
