import * as incidents from '$lib/server/incidents';
import { requireUser, geojson } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { INCIDENTS_PAGE, intParam } from '$lib/server/api/params';
import { parseIncidentFilters } from '$lib/domain/filters';
import { parseRefinement } from '$lib/domain/refine-filters';
import type { RequestHandler } from './$types';

/** Incidents as a GeoJSON FeatureCollection, newest first, paged with limit/offset. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const filters = parseIncidentFilters(url.searchParams);
	await incidents.checkAreas(user, filters);
	const limit = intParam(url.searchParams, 'limit', INCIDENTS_PAGE);
	const offset = intParam(url.searchParams, 'offset', { min: 0, max: 10_000_000, fallback: 0 });
	const refine = parseRefinement(url.searchParams);
	return geojson(await incidents.geojson(user, filters, limit, offset, refine));
});
