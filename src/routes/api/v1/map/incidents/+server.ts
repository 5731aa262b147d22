import { json } from '@sveltejs/kit';
import * as map from '$lib/server/map';
import { requireUser } from '$lib/server/api/respond';
import { checkAreas } from '$lib/server/incidents';
import { apiRoute } from '$lib/server/api/route';
import { MAP_POINTS, intParam, mapFilters } from '$lib/server/api/params';
import { parseRefinement } from '$lib/domain/refine-filters';
import { FilterError } from '$lib/domain/filters';
import type { RequestHandler } from './$types';

/**
 * What the map draws for a viewport: {total, fatalities, by_type, points: [[id, lon, lat,
 * event_type, fatalities], …]} — incidents_map's jsonb as it comes. With `complete=true` the
 * points come only when all of them fit under `limit`; otherwise `points` is empty and the
 * counts come alone (the map then draws the view from the vector tiles, and the most recent
 * `limit` points would be bytes on a slow link that it never draws).
 */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const filters = mapFilters(url.searchParams);
	await checkAreas(user, filters);
	const limit = intParam(url.searchParams, 'limit', MAP_POINTS);
	const complete = url.searchParams.get('complete');
	if (complete !== null && !['true', 'false'].includes(complete))
		throw new FilterError('complete', 'expected true or false');
	return json(
		await map.incidents(
			user,
			filters,
			limit,
			parseRefinement(url.searchParams),
			complete === 'true'
		)
	);
});
