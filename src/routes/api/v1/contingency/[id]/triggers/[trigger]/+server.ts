import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { uuid } from '$lib/server/api/params';
import { removeTrigger } from '$lib/server/contingency/triggers';
import type { RequestHandler } from './$types';

/** Remove a trigger from a plan (analysts and admins); the alerts it raised stay. */
export const DELETE: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const r = await removeTrigger(user, uuid('id', params.id), uuid('trigger', params.trigger));
	return json(r, { headers: { 'cache-control': 'private, no-store' } });
});
