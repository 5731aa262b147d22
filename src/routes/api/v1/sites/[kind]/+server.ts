import * as map from '$lib/server/map';
import { geojson, requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { siteKind } from '$lib/server/api/params';
import type { RequestHandler } from './$types';

/** One site registry (health_facilities, idp_camps, checkpoints, org_sites) as GeoJSON. */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals);
	return geojson(await map.sites(user, siteKind(params.kind)));
});
