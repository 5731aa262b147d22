import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody } from '$lib/server/api/params';
import { getSettings, setSetting } from '$lib/server/sites';
import type { RequestHandler } from './$types';

/** The settings (operating area, checkpoint staleness, re-import match distance). */
export const GET: RequestHandler = apiRoute(async ({ locals }) => {
	return json(await getSettings(requireUser(locals)));
});

/** Changes the settings sent (admins); the others stay. */
export const PATCH: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin']);
	const body = await jsonBody(request);
	let out = await getSettings(user);
	for (const [k, v] of Object.entries(body)) out = await setSetting(user, k, v);
	return json(out);
});
