import { dateParam } from '$lib/server/api/params';
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { currentLevels } from '$lib/server/analysis';
import { areaLevelParam } from '$lib/server/analysis/params';
import type { RequestHandler } from './$types';

/** The security level in force per area on a date (a map layer joins it to the areas by P-code). */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const level = url.searchParams.has('level') ? areaLevelParam(url.searchParams) : undefined;
	return json(
		await currentLevels(user, { asOf: dateParam(url.searchParams, 'as_of') ?? undefined, level })
	);
});
