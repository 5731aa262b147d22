import { pcodeParam } from '$lib/server/api/params';
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { areaProfile } from '$lib/server/analysis';

import type { RequestHandler } from './$types';

/** One area: hierarchy, sites, camps, checkpoints and the security level in force. */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals);
	return json(await areaProfile(user, pcodeParam(params, 'pcode', { required: true })));
});
