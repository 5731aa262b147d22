import { apiRoute } from '$lib/server/api/route';
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { intParam, numberParam } from '$lib/server/api/params';
import { contactsNearby } from '$lib/server/contacts';
import type { RequestHandler } from './$types';

/**
 * "Who to call here": the contacts responsible for the areas containing lon/lat (most local
 * first) and those linked to the nearest checkpoints within `radius` metres, nearest first, as
 * the caller may see them. Audited.
 */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	const p = url.searchParams;
	const lon = numberParam(p, 'lon', { min: -180, max: 180 });
	const lat = numberParam(p, 'lat', { min: -90, max: 90 });
	return json(
		await contactsNearby(user, lon, lat, {
			radius: numberParam(p, 'radius', { min: 0, max: 500_000, fallback: 25_000 }),
			checkpoints: intParam(p, 'checkpoints', { min: 0, max: 20, fallback: 3 }),
			limit: intParam(p, 'limit', { min: 1, max: 500, fallback: 50 })
		})
	);
});
