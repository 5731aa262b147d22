import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { listBasemaps } from '$lib/server/basemaps';
import type { RequestHandler } from './$types';

/** The detailed offline basemaps an operator added (`terrain basemap add`), for the map's switcher. */
export const GET: RequestHandler = apiRoute(async ({ locals }) => {
	requireUser(locals);
	return json(await listBasemaps());
});
