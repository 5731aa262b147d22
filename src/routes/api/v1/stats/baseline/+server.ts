import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { baselineTable } from '$lib/server/analysis';
import { parseBaselineQuery } from '$lib/server/analysis/params';
import type { RequestHandler } from './$types';

/** The baseline table: every area (and the country) as of a date, flagged rising/stable/falling. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	return json(await baselineTable(user, parseBaselineQuery(url.searchParams)));
});
