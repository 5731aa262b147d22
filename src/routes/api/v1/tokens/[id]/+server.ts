import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { uuid } from '$lib/server/api/params';
import { revokeToken } from '$lib/server/auth';
import type { RequestHandler } from './$types';

/** Revokes one of the caller's tokens (an admin may revoke anyone's); 404 when there is none. */
export const DELETE: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals);
	return json(await revokeToken(user, uuid('id', params.id)));
});
