import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { AREA_LEVELS, oneOf } from '$lib/server/api/params';
import { areaPopulations } from '$lib/server/overlays';
import type { RequestHandler } from './$types';

/**
 * The population of each area of a level where it is known (community profiles), for rates per
 * 10,000 people. Areas with no figure are absent: "no data", never zero.
 */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const level = Number(oneOf('level', url.searchParams.get('level'), AREA_LEVELS)) as 1 | 2 | 3;
	return json(await areaPopulations(user, level));
});
