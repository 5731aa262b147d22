import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { intParam, listParam, numberParam } from '$lib/server/api/params';
import { nearestSites, SITE_ROLES } from '$lib/server/contingency';
import type { RequestHandler } from './$types';

/**
 * The nearest hibernation sites, assembly points and safe havens to a point
 * (`?lat=&lon=&role=hibernation_site,assembly_point&limit=5`), from the contingency plans the
 * caller may read: field staff those of their bases, viewers nothing (403). The `limit` nearest in
 * a straight line and the `limit` nearest along a drawn route, in straight-line order, each with
 * its `straight_rank` and `route_rank`.
 */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	const p = url.searchParams;
	const sites = await nearestSites(user, {
		lat: numberParam(p, 'lat', { min: -90, max: 90 }),
		lon: numberParam(p, 'lon', { min: -180, max: 180 }),
		roles: listParam(p, 'role', { allowed: SITE_ROLES }),
		limit: intParam(p, 'limit', { min: 1, max: 50, fallback: 5 })
	});
	return json(sites, { headers: { 'cache-control': 'private, no-store' } });
});
