import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { checkAreas } from '$lib/server/incidents';
import { apiRoute } from '$lib/server/api/route';
import { incidentsByArea } from '$lib/server/analysis';
import { areaLevelParam } from '$lib/server/analysis/params';
import { parseIncidentFilters } from '$lib/domain/filters';
import { parseRefinement } from '$lib/domain/refine-filters';
import type { RequestHandler } from './$types';

/**
 * Incidents and fatalities per governorate (level=1), district (2) or sub-district (3), under the
 * incident layer's whole filter: the shared filters, the place (geometry=, geometry_id=,
 * lat=&lon=&within_km=, precise=) and the further filters (lens, sub_type, actor, status,
 * reliability), so the map's choropleth and rate shading count what its points show.
 */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const filters = parseIncidentFilters(url.searchParams);
	await checkAreas(user, filters);
	const level = areaLevelParam(url.searchParams);
	return json(await incidentsByArea(user, filters, level, parseRefinement(url.searchParams)));
});
