import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, pcodeParam } from '$lib/server/api/params';
import { communityGet, communitySave } from '$lib/server/assessments';
import type { RequestHandler } from './$types';

/** An area's community profile and its history. */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals);
	return json(await communityGet(user, pcodeParam(params, 'pcode', { required: true })));
});

/** Changes the fields sent (merge; null clears), analysts and admins. History is kept. */
export const PATCH: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const pcode = pcodeParam(params, 'pcode', { required: true });
	return json(await communitySave(user, pcode, await jsonBody(request)));
});
