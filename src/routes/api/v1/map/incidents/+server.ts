import { json } from '@sveltejs/kit';
import * as map from '$lib/server/map';
import { requireUser } from '$lib/server/api/respond';
import { checkAreas } from '$lib/server/incidents';
import { apiRoute } from '$lib/server/api/route';
import { MAP_POINTS, intParam, mapFilters } from '$lib/server/api/params';
import { parseRefinement } from '$lib/domain/refine-filters';
import type { RequestHandler } from './$types';

/**
 * What the map draws for a viewport: {total, fatalities, by_type, points: [[id, lon, lat,
 * event_type, fatalities], …]} — incidents_map's jsonb as it comes.
 */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const filters = mapFilters(url.searchParams);
	await checkAreas(user, filters);
	const limit = intParam(url.searchParams, 'limit', MAP_POINTS);
	return json(await map.incidents(user, filters, limit, parseRefinement(url.searchParams)));
});
