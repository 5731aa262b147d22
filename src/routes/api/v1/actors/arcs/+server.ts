import { dateParam, listParam, pcodeParam } from '$lib/server/api/params';
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { relationshipArcs } from '$lib/server/actors';
import { actorsRoute } from '$lib/server/actors/http';
import { ACTOR_TYPES, EDGE_KINDS } from '$lib/domain/actors';
import type { RequestHandler } from './$types';

/**
 * Arcs between related actors' locations (HQ, else the centre of their presence) for a deck.gl
 * ArcLayer, with the network view's filters: [source lon, source lat, target lon, target lat,
 * kind, directed, weight, source name, target name, relationship id | null].
 */
export const GET: RequestHandler = actorsRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const p = url.searchParams;
	return json(
		await relationshipArcs(user, {
			asOf: dateParam(p, 'as_of'),
			kinds: listParam(p, 'kind', { allowed: EDGE_KINDS }),
			types: listParam(p, 'type', { allowed: ACTOR_TYPES }),
			area: pcodeParam(p, 'area')
		})
	);
});
