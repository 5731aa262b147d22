import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid } from '$lib/server/api/params';
import { addTrigger, listTriggers } from '$lib/server/contingency/triggers';
import type { RequestHandler } from './$types';

const NO_STORE = { 'cache-control': 'private, no-store' };

/** A plan's triggers, each with whether it is met now and since when. */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	return json(await listTriggers(user, uuid('id', params.id)), { headers: NO_STORE });
});

/** Add a trigger (analysts and admins); it is evaluated at once. */
export const POST: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const t = await addTrigger(user, uuid('id', params.id), await jsonBody(request));
	return json(t, { status: 201, headers: NO_STORE });
});
