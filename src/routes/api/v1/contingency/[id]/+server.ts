import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { getPlan, savePlan, zPlanFields } from '$lib/server/contingency';
import type { RequestHandler } from './$types';

const NO_STORE = { 'cache-control': 'private, no-store' };

/** One plan with its versions (newest first); the read is audited. */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	return json(await getPlan(user, uuid('id', params.id)), { headers: NO_STORE });
});

/** Change a plan: merge semantics; a new version with its note. Analysts and admins. */
export const PATCH: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const fields = parseWith(zPlanFields, await jsonBody(request));
	const plan = await getPlan(user, uuid('id', params.id));
	await savePlan(user, plan.base_site_id, plan.kind, fields);
	return json(await getPlan(user, plan.id), { headers: NO_STORE });
});
