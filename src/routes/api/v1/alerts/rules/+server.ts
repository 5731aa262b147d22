import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody } from '$lib/server/api/params';
import { listAlertRules, saveAlertRule } from '$lib/server/alerts';
import type { RequestHandler } from './$types';

const NO_STORE = { 'cache-control': 'private, no-store' };

/** The caller's alert rules (their subscriptions). */
export const GET: RequestHandler = apiRoute(async ({ locals }) => {
	const user = requireUser(locals);
	return json(await listAlertRules(user), { headers: NO_STORE });
});

/** A new rule for the caller. */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals);
	const r = await saveAlertRule(user, null, await jsonBody(request));
	return json(r, { status: 201, headers: NO_STORE });
});
