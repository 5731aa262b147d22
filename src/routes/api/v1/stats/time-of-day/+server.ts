import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { checkAreas } from '$lib/server/incidents';
import { apiRoute } from '$lib/server/api/route';
import { incidentsTimePattern } from '$lib/server/analysis';
import { parseIncidentFilters } from '$lib/domain/filters';
import type { RequestHandler } from './$types';

/** Incidents by hour of day (time known) and day of week (day known). */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const filters = parseIncidentFilters(url.searchParams);
	await checkAreas(user, filters);
	return json(await incidentsTimePattern(user, filters));
});
