import { json } from '@sveltejs/kit';
import * as incidents from '$lib/server/incidents';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { FilterError } from '$lib/server/api/params';
import { isUuid } from '$lib/domain/codes';
import type { RequestHandler } from './$types';

/**
 * Stores a filter geometry (GeoJSON geometry, Feature or FeatureCollection) and answers its id,
 * which the map's URL and the API's geometry_id= carry instead of the shape itself.
 * `{"overlay_id": …, "feature": n}` stores an overlay's feature instead (the whole overlay when
 * `feature` is absent or null), read on the server under the caller's RLS, so that the browser
 * never resends a long road; the answer adds `kind` (line, polygon or point). Its optional `name`
 * (the feature's label) is kept with it, so a link names the filter in any browser.
 */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals);
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		throw new FilterError('geometry', 'expected a GeoJSON body');
	}
	if (body && typeof body === 'object' && 'overlay_id' in body) {
		const { overlay_id, feature, name } = body as {
			overlay_id: unknown;
			feature?: unknown;
			name?: unknown;
		};
		if (name !== undefined && name !== null && typeof name !== 'string')
			throw new FilterError('name', 'expected text');
		if (!isUuid(overlay_id)) throw new FilterError('overlay_id', 'expected a UUID');
		if (
			feature !== undefined &&
			feature !== null &&
			!(Number.isInteger(feature) && (feature as number) > 0)
		)
			throw new FilterError('feature', 'expected a feature number (1, 2, …)');
		const saved = await incidents.filterGeometryFromOverlay(
			user,
			overlay_id,
			(feature as number | null | undefined) ?? null,
			(name as string | null | undefined) ?? null
		);
		return json(saved, { status: 201 });
	}
	const geometry =
		body && typeof body === 'object' && 'geometry' in body && !('type' in body)
			? (body as { geometry: unknown }).geometry
			: body;
	return json(await incidents.saveFilterGeometry(user, geometry), { status: 201 });
});
