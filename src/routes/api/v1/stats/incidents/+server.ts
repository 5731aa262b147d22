import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { checkAreas } from '$lib/server/incidents';
import { apiRoute } from '$lib/server/api/route';
import { incidentStats } from '$lib/server/analysis';
import { parseStatsQuery } from '$lib/server/analysis/params';
import type { RequestHandler } from './$types';

/** Incidents and fatalities per day/week/month bin, stacked by event type, governorate or district. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const q = parseStatsQuery(url.searchParams);
	await checkAreas(user, q.filters);
	return json(await incidentStats(user, q.filters, q.by, q.group));
});
