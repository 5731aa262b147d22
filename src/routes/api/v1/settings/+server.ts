import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody } from '$lib/server/api/params';
import { getSettings, updateSettings } from '$lib/server/sites';
import type { RequestHandler } from './$types';

/** The settings (operating area, checkpoint staleness, re-import match distance). */
export const GET: RequestHandler = apiRoute(async ({ locals }) => {
	return json(await getSettings(requireUser(locals)));
});

/**
 * Changes the settings sent (admins), all or none; the others stay, and a value sent unchanged
 * writes nothing (no audit row).
 */
export const PATCH: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin']);
	return json(await updateSettings(user, await jsonBody(request)));
});
