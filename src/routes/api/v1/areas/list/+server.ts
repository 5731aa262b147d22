import { json } from '@sveltejs/kit';
import * as map from '$lib/server/map';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { AREA_LEVELS, oneOf } from '$lib/server/api/params';
import type { RequestHandler } from './$types';

/** Areas without geometry (P-code, level, names, parent), for pickers; all levels without `level`. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const raw = url.searchParams.get('level');
	const level = raw ? Number(oneOf('level', raw, AREA_LEVELS)) : null;
	return json(await map.areaList(user, level));
});
