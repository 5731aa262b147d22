import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid } from '$lib/server/api/params';
import { getMovement, saveMovement } from '$lib/server/movements';
import type { RequestHandler } from './$types';

const NO_STORE = { 'cache-control': 'private, no-store' };

/** One plan with its team, vehicles, stops, route, calls and events (every read is audited). */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	return json(await getMovement(user, uuid('id', params.id)), { headers: NO_STORE });
});

/** Change a draft or refused plan; merge semantics (fields not sent stay as they are). */
export const PATCH: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	const m = await saveMovement(user, uuid('id', params.id), await jsonBody(request));
	return json(m, { headers: NO_STORE });
});
