import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { uuid } from '$lib/server/api/params';
import { updateUser } from '$lib/server/auth';
import type { RequestHandler } from './$types';

/**
 * Disables a user and ends their sessions and API tokens (admin only; not yourself). The same as
 * PATCH /users/{id} {"disabled": true}, kept for existing scripts.
 */
export const POST: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin']);
	return json(await updateUser(user, uuid('id', params.id), { disabled: true }));
});
