import { dateParam, pcodeParam } from '$lib/server/api/params';
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { areaBaseline } from '$lib/server/analysis';
import { typesParam } from '$lib/server/analysis/params';
import type { RequestHandler } from './$types';

/**
 * The last-week and last-4-week counts of an area against its 52-week average, flagged, as of a
 * date (default today), with the 56 weekly counts behind them.
 */
export const GET: RequestHandler = apiRoute(async ({ locals, params, url }) => {
	const user = requireUser(locals);
	const pcode = pcodeParam(params, 'pcode', { required: true });
	return json(
		await areaBaseline(user, pcode, {
			asOf: dateParam(url.searchParams, 'as_of') ?? undefined,
			types: typesParam(url.searchParams)
		})
	);
});
