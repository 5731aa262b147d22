import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody } from '$lib/server/api/params';
import { proximity } from '$lib/server/analysis';
import { parseProximity } from '$lib/server/analysis/params';
import type { RequestHandler } from './$types';

/** Incidents within km of sites (site_kind [+ site_id]) or of a GeoJSON geometry, in the last days. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	return json(await proximity(user, parseProximity(url.searchParams)));
});

/** The same with a JSON body, for drawn geometries too long for a URL. Reads only. */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals);
	return json(await proximity(user, parseProximity(await jsonBody(request))));
});
