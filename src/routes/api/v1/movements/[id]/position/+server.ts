import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid, FilterError } from '$lib/server/api/params';
import { sendPosition } from '$lib/server/movements';
import type { RequestHandler } from './$types';

/** The team's position while under way: {"lon", "lat"}. */
export const POST: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	const b = await jsonBody(request);
	if (typeof b.lon !== 'number') throw new FilterError('lon', 'expected a number');
	if (typeof b.lat !== 'number') throw new FilterError('lat', 'expected a number');
	return json(await sendPosition(user, uuid('id', params.id), b.lon, b.lat));
});
