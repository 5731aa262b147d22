import { json } from '@sveltejs/kit';
import { geojson, requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, registryKind } from '$lib/server/api/params';
import { listSites, saveSite } from '$lib/server/sites';
import type { RequestHandler } from './$types';

/** One site registry (health_facilities, idp_camps, checkpoints, org_sites, displacement_locations) as GeoJSON. */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals);
	return geojson(await listSites(user, registryKind(params.kind)));
});

/** Adds a site (analysts and admins): {name, lon, lat, …the registry's fields}. */
export const POST: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const kind = registryKind(params.kind);
	const r = await saveSite(user, kind, null, await jsonBody(request));
	return json({ ...r.write, site: r.site }, { status: 201 });
});
