import { json } from '@sveltejs/kit';
import { rpc } from '$lib/server/db';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { filtersWithoutBbox } from '$lib/server/api/params';
import { filterArgs } from '$lib/domain/filters';
import type { RequestHandler } from './$types';

/** Totals by year, governorate (admin1 P-code) and event type for the same filters as the list. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const filters = filtersWithoutBbox(url.searchParams);
	return json(await rpc('incident_counts', filterArgs(filters), user));
});
