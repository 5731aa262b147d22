import { dateParam, listParam, uuidParam } from '$lib/server/api/params';
import { requireUser, geojson } from '$lib/server/api/respond';
import { presenceGeojson } from '$lib/server/actors';
import { actorsRoute } from '$lib/server/actors/http';
import { ACTOR_TYPES } from '$lib/domain/actors';
import type { RequestHandler } from './$types';

/** Where actors are present, as GeoJSON polygons (areas by P-code and drawn polygons), for the map. */
export const GET: RequestHandler = actorsRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const p = url.searchParams;
	const actor = uuidParam(p, 'actor');
	return geojson(
		await presenceGeojson(user, {
			actorIds: actor ? [actor] : null,
			types: listParam(p, 'type', { allowed: ACTOR_TYPES }),
			asOf: dateParam(p, 'as_of')
		})
	);
});
