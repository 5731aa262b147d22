import { error, json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { deleteOverlay, getOverlay, updateOverlay } from '$lib/server/overlays';
import { zOverlayPatch } from '$lib/domain/overlays';
import type { RequestHandler } from './$types';

/** One overlay as GeoJSON (its description in `overlay`); 404 when the caller does not see it. */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals);
	const fc = await getOverlay(user, uuid('id', params.id));
	if (!fc) error(404, { message: 'No such overlay' });
	return json(fc, {
		headers: { 'content-type': 'application/geo+json', 'cache-control': 'private, no-store' }
	});
});

/** Rename, restyle or share/unshare (merge: fields not sent stay). Owner, or admin for shared ones. */
export const PATCH: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals);
	const patch = parseWith(zOverlayPatch, await jsonBody(request));
	return json(await updateOverlay(user, uuid('id', params.id), patch));
});

export const DELETE: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals);
	return json(await deleteOverlay(user, uuid('id', params.id)));
});
