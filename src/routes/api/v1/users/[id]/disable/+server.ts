import { json } from '@sveltejs/kit';
import * as accounts from '$lib/server/auth';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { uuid } from '$lib/server/api/params';
import type { RequestHandler } from './$types';

/** Disables a user and ends their sessions and API tokens (admin only; not yourself). */
export const POST: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin']);
	return json(await accounts.disableUser(user, uuid('id', params.id)));
});
