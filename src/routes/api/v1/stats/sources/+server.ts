import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { checkAreas } from '$lib/server/incidents';
import { apiRoute } from '$lib/server/api/route';
import { incidentSources } from '$lib/server/analysis';
import { parseIncidentFilters } from '$lib/domain/filters';
import type { RequestHandler } from './$types';

/** Where the matching incidents come from (upstream source) and the dates each covers. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const filters = parseIncidentFilters(url.searchParams);
	await checkAreas(user, filters);
	return json(await incidentSources(user, filters));
});
