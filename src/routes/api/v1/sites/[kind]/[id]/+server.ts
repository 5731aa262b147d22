import { error, json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, registryKind, uuid } from '$lib/server/api/params';
import { deleteSite, getSite, saveSite } from '$lib/server/sites';
import type { RequestHandler } from './$types';

/** One site, with lon/lat (and, for a checkpoint, who verified it and whether it is stale). */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals);
	const s = await getSite(user, registryKind(params.kind), uuid('id', params.id));
	if (!s) error(404, { message: 'no such site' });
	return json(s);
});

/**
 * Changes the fields sent (merge semantics: fields not sent stay as they are). Analysts and
 * admins. A checkpoint's status, or `verified_now: true`, records a verification now.
 */
export const PATCH: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const r = await saveSite(
		user,
		registryKind(params.kind),
		uuid('id', params.id),
		await jsonBody(request)
	);
	return json({ ...r.write, site: r.site });
});

/** Deletes a site (admins). Closing one is a PATCH of its status. */
export const DELETE: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin']);
	return json(await deleteSite(user, registryKind(params.kind), uuid('id', params.id)));
});
