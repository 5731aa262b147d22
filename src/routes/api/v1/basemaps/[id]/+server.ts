import { error, json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { BasemapError, removeBasemap } from '$lib/server/basemaps';
import type { RequestHandler } from './$types';

/** Removes a detailed basemap (admins), as `terrain basemap remove ID` does. */
export const DELETE: RequestHandler = apiRoute(async ({ locals, params }) => {
	requireUser(locals, ['admin']);
	const b = await removeBasemap(params.id).catch((e: unknown) => {
		if (e instanceof BasemapError) error(404, { message: e.message });
		throw e;
	});
	return json(b);
});
