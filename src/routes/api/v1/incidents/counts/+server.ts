import { json } from '@sveltejs/kit';
import * as incidents from '$lib/server/incidents';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { filtersWithoutBbox } from '$lib/server/api/params';
import { parseRefinement } from '$lib/domain/refine-filters';
import type { RequestHandler } from './$types';

/**
 * Totals by year, governorate (admin1 P-code) and event type for the same filters as the list,
 * optionally within a place (geometry=, geometry_id=, lat=&lon=&within_km=; precise=true) and
 * with the further filters (lens, sub_type, actor, status, reliability: refine-filters.ts).
 */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const filters = filtersWithoutBbox(url.searchParams);
	await incidents.checkAreas(user, filters);
	const { place, more } = parseRefinement(url.searchParams);
	return json(await incidents.counts(user, filters, place, more));
});
