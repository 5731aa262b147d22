import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid } from '$lib/server/api/params';
import { addRoute, listRoutes } from '$lib/server/contingency';
import type { RequestHandler } from './$types';

const NO_STORE = { 'cache-control': 'private, no-store' };

/** A plan's drawn routes (GeoJSON lines) with their names and destinations; the read is audited. */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	return json(await listRoutes(user, uuid('id', params.id)), { headers: NO_STORE });
});

/**
 * Add a route to a plan (analysts and admins): `{name, route: GeoJSON LineString, to_site?, source?}`.
 * A route that is not one line is refused with the field named.
 */
export const POST: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const r = await addRoute(user, uuid('id', params.id), await jsonBody(request));
	return json(r, { status: 201, headers: NO_STORE });
});
