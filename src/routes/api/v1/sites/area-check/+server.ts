import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { numberParam } from '$lib/server/api/params';
import { checkLocation } from '$lib/server/sites';
import type { RequestHandler } from './$types';

/** Is (lon, lat) inside the operating area? If not: the country it falls in, and a swap fix. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const lon = numberParam(url.searchParams, 'lon', { min: -180, max: 180 });
	const lat = numberParam(url.searchParams, 'lat', { min: -90, max: 90 });
	return json(await checkLocation(user, lon, lat));
});
