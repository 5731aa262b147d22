import { error, json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { getRisk, saveRisk } from '$lib/server/risks';
import { zRiskPatch } from '$lib/domain/risks';
import type { RequestHandler } from './$types';

/** One risk with its mitigations and (for analysts and admins) its history. */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals);
	const r = await getRisk(user, uuid('id', params.id));
	if (!r) error(404, { message: 'no such risk' });
	return json(r, { headers: { 'cache-control': 'private, no-store' } });
});

/** Change a risk (merge; a mitigations list sent replaces the old one); `version` refuses a stale edit (409). */
export const PATCH: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const { version, ...patch } = parseWith(zRiskPatch, await jsonBody(request));
	return json(await saveRisk(user, uuid('id', params.id), patch, version));
});
