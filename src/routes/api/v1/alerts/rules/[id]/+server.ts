import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid } from '$lib/server/api/params';
import { deleteAlertRule, saveAlertRule } from '$lib/server/alerts';
import type { RequestHandler } from './$types';

const NO_STORE = { 'cache-control': 'private, no-store' };

/** Change one of the caller's rules; merge semantics (fields not sent stay as they are). */
export const PATCH: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals);
	const r = await saveAlertRule(user, uuid('id', params.id), await jsonBody(request));
	return json(r, { headers: NO_STORE });
});

export const DELETE: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals);
	return json(await deleteAlertRule(user, uuid('id', params.id)), { headers: NO_STORE });
});
