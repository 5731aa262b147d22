import { json } from '@sveltejs/kit';
import { rpc } from '$lib/server/db';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { DENSITY_CELL, defaultCell, mapFilters, numberParam } from '$lib/server/api/params';
import { filterArgs } from '$lib/domain/filters';
import type { RequestHandler } from './$types';

/** Incidents in the viewport snapped to a grid of `cell` degrees: [[lon, lat, count, fatalities], …]. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const filters = mapFilters(url.searchParams);
	const cell = numberParam(url.searchParams, 'cell', {
		...DENSITY_CELL,
		fallback: defaultCell(filters.bbox)
	});
	return json(await rpc('incidents_density', { ...filterArgs(filters), p_cell: cell }, user));
});
