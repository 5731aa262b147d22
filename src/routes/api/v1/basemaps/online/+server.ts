import { error, json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { BasemapError } from '$lib/server/basemaps';
import { addOnlineBasemap } from '$lib/server/basemaps/online';
import type { RequestHandler } from './$types';

/**
 * Registers an online style (admins), as `terrain basemap add-url` does: `{ "url": …, "name": … }`.
 * The server reads the style once to check it; a wrong URL or style is a 400 saying why.
 */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	requireUser(locals, ['admin']);
	const body = (await request.json().catch(() => null)) as { url?: unknown; name?: unknown } | null;
	if (typeof body?.url !== 'string') error(400, { message: 'url: give the style JSON’s URL' });
	if (body.name !== undefined && typeof body.name !== 'string')
		error(400, { message: 'name: must be text' });
	const b = await addOnlineBasemap(body.url, body.name?.trim() || undefined).catch((e: unknown) => {
		if (e instanceof BasemapError) error(400, { message: e.message });
		throw e;
	});
	return json(b, { status: 201 });
});
