import { rpc } from '$lib/server/db';
import { requireUser, geojson } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { INCIDENTS_PAGE, intParam } from '$lib/server/api/params';
import { filterArgs, parseIncidentFilters } from '$lib/domain/filters';
import type { RequestHandler } from './$types';

/** Incidents as a GeoJSON FeatureCollection, newest first, paged with limit/offset. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const filters = parseIncidentFilters(url.searchParams);
	const limit = intParam(url.searchParams, 'limit', INCIDENTS_PAGE);
	const offset = intParam(url.searchParams, 'offset', { min: 0, max: 10_000_000, fallback: 0 });
	const fc = await rpc(
		'incidents_geojson',
		{ ...filterArgs(filters), p_limit: limit, p_offset: offset },
		user
	);
	return geojson(fc);
});
