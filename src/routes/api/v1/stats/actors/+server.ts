import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { checkAreas } from '$lib/server/incidents';
import { apiRoute } from '$lib/server/api/route';
import { topActors } from '$lib/server/analysis';
import { limitParam } from '$lib/server/analysis/params';
import { parseIncidentFilters } from '$lib/domain/filters';
import type { RequestHandler } from './$types';

/** The actors most often involved in the matching incidents. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const filters = parseIncidentFilters(url.searchParams);
	await checkAreas(user, filters);
	return json(await topActors(user, filters, limitParam(url.searchParams, 100, 10)));
});
