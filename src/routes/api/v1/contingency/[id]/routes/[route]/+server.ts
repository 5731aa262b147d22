import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { uuid } from '$lib/server/api/params';
import { removeRoute } from '$lib/server/contingency';
import type { RequestHandler } from './$types';

/** Remove a drawn route from a plan (analysts and admins). */
export const DELETE: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const r = await removeRoute(user, uuid('id', params.id), uuid('route', params.route));
	return json(r, { headers: { 'cache-control': 'private, no-store' } });
});
