import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { incidentsByArea } from '$lib/server/analysis';
import { areaLevelParam } from '$lib/server/analysis/params';
import { parseIncidentFilters } from '$lib/domain/filters';
import type { RequestHandler } from './$types';

/** Incidents and fatalities per governorate (level=1), district (2) or sub-district (3). */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const filters = parseIncidentFilters(url.searchParams);
	return json(await incidentsByArea(user, filters, areaLevelParam(url.searchParams)));
});
