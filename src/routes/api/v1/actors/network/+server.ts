import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { actorNetwork } from '$lib/server/actors';
import { actorsRoute } from '$lib/server/actors/http';
import type { RequestHandler } from './$types';

/**
 * The whole actor network in compact arrays, dates included, so a client can show it as of any
 * day without asking again: nodes [id, name, type, stance, influence, interest, area P-codes],
 * edges [id, source, target, kind, directed, valid_from, valid_to, confidence], confrontations
 * [actor a, actor b, [[month, incidents], …]] derived from the incidents the caller may see.
 */
export const GET: RequestHandler = actorsRoute(async ({ locals }) => {
	const user = requireUser(locals);
	return json(await actorNetwork(user));
});
