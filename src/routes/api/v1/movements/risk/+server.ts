import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { routeRisk } from '$lib/server/movements';
import { zRouteRiskQuery } from '$lib/domain/movements';
import type { RequestHandler } from './$types';

/**
 * The risk along a route before anyone approves a movement: incidents in the corridor and around
 * each stop, checkpoints, area levels, no-go zones and a rule-based recommendation. Reads only.
 */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals);
	const q = parseWith(zRouteRiskQuery, await jsonBody(request));
	return json(await routeRisk(user, q), { headers: { 'cache-control': 'private, no-store' } });
});
