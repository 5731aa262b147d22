import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { contingencyOverview, PLAN_KINDS, savePlan, zPlanFields } from '$lib/server/contingency';
import type { RequestHandler } from './$types';

const NO_STORE = { 'cache-control': 'private, no-store' };

/** Every base the caller may see the plans of, with its three plans (null: not written yet). */
export const GET: RequestHandler = apiRoute(async ({ locals }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	return json(await contingencyOverview(user), { headers: NO_STORE });
});

const zCreate = zPlanFields.extend({
	base_site_id: z.string().uuid(),
	kind: z.enum(PLAN_KINDS)
});

/** Write a base's plan of a kind (its first version, or a new one). Analysts and admins. */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const { base_site_id, kind, ...fields } = parseWith(zCreate, await jsonBody(request));
	return json(await savePlan(user, base_site_id, kind, fields), { status: 201, headers: NO_STORE });
});
