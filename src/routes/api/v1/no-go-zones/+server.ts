import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody } from '$lib/server/api/params';
import { addNoGoZone, listNoGoZones } from '$lib/server/movements';
import type { RequestHandler } from './$types';

const NO_STORE = { 'cache-control': 'private, no-store' };

/** The no-go zones (every signed-in role reads them); ?active=true: only those in force today. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	return json(await listNoGoZones(user, url.searchParams.get('active') === 'true'), {
		headers: NO_STORE
	});
});

/** A new zone: {name, reason, geometry (GeoJSON Polygon), valid_from?, valid_to?}; analysts and admins. */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	return json(await addNoGoZone(user, await jsonBody(request)), { status: 201, headers: NO_STORE });
});
