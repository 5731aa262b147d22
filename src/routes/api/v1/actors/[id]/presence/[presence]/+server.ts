import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { uuid } from '$lib/server/api/params';
import { removePresence } from '$lib/server/actors';
import { actorsRoute } from '$lib/server/actors/http';
import type { RequestHandler } from './$types';

/** Removes one presence area of an actor (analysts and admins). */
export const DELETE: RequestHandler = actorsRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	uuid('id', params.id);
	return json(await removePresence(user, uuid('presence', params.presence)));
});
