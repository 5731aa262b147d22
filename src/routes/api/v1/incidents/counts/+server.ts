import { json } from '@sveltejs/kit';
import * as incidents from '$lib/server/incidents';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { filtersWithoutBbox } from '$lib/server/api/params';
import type { RequestHandler } from './$types';

/** Totals by year, governorate (admin1 P-code) and event type for the same filters as the list. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const filters = filtersWithoutBbox(url.searchParams);
	return json(await incidents.counts(user, filters));
});
