import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { uuid } from '$lib/server/api/params';
import { presenceGeojson, removePresence } from '$lib/server/actors';
import { actorsRoute } from '$lib/server/actors/http';
import type { RequestHandler } from './$types';

/**
 * Removes one presence area of an actor (analysts and admins). The presence must be this actor's:
 * a script that pairs the wrong ids gets a 404, not another actor's area deleted.
 */
export const DELETE: RequestHandler = actorsRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const actorId = uuid('id', params.id);
	const presenceId = uuid('presence', params.presence);
	const mine = (await presenceGeojson(user, { actorIds: [actorId] })) as {
		features: { id: string }[];
	};
	if (!mine.features.some((f) => f.id === presenceId)) {
		return json(
			{ message: `presence: actor ${actorId} has no presence ${presenceId}` },
			{ status: 404 }
		);
	}
	return json(await removePresence(user, presenceId));
});
