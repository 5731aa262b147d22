import * as map from '$lib/server/map';
import { geojson, requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { AREA_LEVELS, AREA_TOLERANCE, numberParam, oneOf } from '$lib/server/api/params';
import type { RequestHandler } from './$types';

/** Administrative areas of one level as GeoJSON, simplified by `tolerance` degrees. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const level = Number(oneOf('level', url.searchParams.get('level'), AREA_LEVELS));
	const tolerance = url.searchParams.has('tolerance')
		? numberParam(url.searchParams, 'tolerance', AREA_TOLERANCE)
		: undefined;
	return geojson(await map.areas(user, level, tolerance));
});
