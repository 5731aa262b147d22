import { json } from '@sveltejs/kit';
import * as map from '$lib/server/map';
import { requireUser } from '$lib/server/api/respond';
import { checkAreas } from '$lib/server/incidents';
import { apiRoute } from '$lib/server/api/route';
import { DENSITY_CELL, defaultCell, mapFilters, numberParam } from '$lib/server/api/params';
import { parseRefinement } from '$lib/domain/refine-filters';
import type { RequestHandler } from './$types';

/**
 * Incidents counted per cell of the Web Mercator grid whose cells are nearest `cell` degrees of
 * longitude wide, every cell the viewport touches counted whole: [[lon, lat, count, fatalities], …]
 * at each cell's centre.
 */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const filters = mapFilters(url.searchParams);
	await checkAreas(user, filters);
	const cell = numberParam(url.searchParams, 'cell', {
		...DENSITY_CELL,
		fallback: defaultCell(filters.bbox)
	});
	return json(await map.density(user, filters, cell, parseRefinement(url.searchParams)));
});
