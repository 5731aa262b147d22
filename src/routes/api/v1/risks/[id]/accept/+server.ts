import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { uuid } from '$lib/server/api/params';
import { acceptRisk } from '$lib/server/risks';
import type { RequestHandler } from './$types';

/** Accept the risk as it stands: who and when are recorded, the previous state kept in the history. */
export const POST: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	return json(await acceptRisk(user, uuid('id', params.id)));
});
