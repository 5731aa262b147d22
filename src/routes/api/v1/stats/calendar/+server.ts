import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { checkAreas } from '$lib/server/incidents';
import { apiRoute } from '$lib/server/api/route';
import { incidentsCalendar } from '$lib/server/analysis';
import { parseIncidentFilters } from '$lib/domain/filters';
import type { RequestHandler } from './$types';

/** Incidents and fatalities per day, for a calendar heatmap. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const filters = parseIncidentFilters(url.searchParams);
	await checkAreas(user, filters);
	return json(await incidentsCalendar(user, filters));
});
