import { json } from '@sveltejs/kit';
import * as incidents from '$lib/server/incidents';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { FilterError } from '$lib/server/api/params';
import type { RequestHandler } from './$types';

/**
 * Stores a filter geometry (GeoJSON geometry, Feature or FeatureCollection) and answers its id,
 * which the map's URL and the API's geometry_id= carry instead of the shape itself.
 */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals);
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		throw new FilterError('geometry', 'expected a GeoJSON body');
	}
	const geometry =
		body && typeof body === 'object' && 'geometry' in body && !('type' in body)
			? (body as { geometry: unknown }).geometry
			: body;
	return json(await incidents.saveFilterGeometry(user, geometry), { status: 201 });
});
