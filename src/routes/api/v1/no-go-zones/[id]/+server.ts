import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { uuid } from '$lib/server/api/params';
import { deleteNoGoZone } from '$lib/server/movements';
import type { RequestHandler } from './$types';

/** Removes a zone (analysts and admins); audited by the table's trigger. */
export const DELETE: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	return json(await deleteNoGoZone(user, uuid('id', params.id)), {
		headers: { 'cache-control': 'private, no-store' }
	});
});
