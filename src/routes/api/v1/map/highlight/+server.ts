import { json } from '@sveltejs/kit';
import * as map from '$lib/server/map';
import { requireUser } from '$lib/server/api/respond';
import { checkAreas } from '$lib/server/incidents';
import { apiRoute } from '$lib/server/api/route';
import { highlightArgs, parseHighlightQuery } from '$lib/server/analysis/highlight';
import type { RequestHandler } from './$types';

/**
 * The incidents behind one analysis chart bar, for the map to pick out: the map's filters (bbox
 * optional) plus hour, dow, actor and an area group. {total, fatalities, by_type, points} as
 * /map/incidents answers.
 */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const q = parseHighlightQuery(url.searchParams);
	await checkAreas(user, q.filters);
	return json(await map.highlight(user, highlightArgs(q)));
});
