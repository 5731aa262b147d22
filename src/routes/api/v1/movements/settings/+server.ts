import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody } from '$lib/server/api/params';
import { movementSettings, updateMovementSettings } from '$lib/server/movements';
import type { RequestHandler } from './$types';

/** The route-risk rules (thresholds of the recommendation). */
export const GET: RequestHandler = apiRoute(async ({ locals }) => {
	return json(await movementSettings(requireUser(locals)));
});

/** Merge semantics: only the settings sent change. Admins only. */
export const PATCH: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals);
	return json(await updateMovementSettings(user, await jsonBody(request)));
});
