import { error, json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { BasemapError, listBasemaps } from '$lib/server/basemaps';
import { addUploadedBasemap } from '$lib/server/basemaps/upload';
import type { RequestHandler } from './$types';

/** The detailed offline basemaps an operator added (`terrain basemap add`), for the map's switcher. */
export const GET: RequestHandler = apiRoute(async ({ locals }) => {
	requireUser(locals);
	return json(await listBasemaps());
});

/**
 * Adds a basemap (admins): the body is the PMTiles or MBTiles file itself, `?name=` its name.
 * A wrong file is a 400 saying why in one line, and nothing is kept.
 */
export const POST: RequestHandler = apiRoute(async ({ locals, request, url }) => {
	requireUser(locals, ['admin']);
	const b = await addUploadedBasemap(request.body, url.searchParams.get('name') ?? undefined).catch(
		(e: unknown) => {
			if (e instanceof BasemapError) error(400, { message: e.message });
			throw e;
		}
	);
	return json(b, { status: 201 });
});
