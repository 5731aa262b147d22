import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { BasemapError, basemapTile } from '$lib/server/basemaps';
import { tileAddress } from '$lib/server/tiles';
import type { RequestHandler } from './$types';

/**
 * One vector tile of an added basemap, decoded from its PMTiles archive (why not byte ranges:
 * $lib/server/basemaps). Signed-in users only. A basemap id names one file for good (a new add
 * is a new id), so the ETag is the address; the hooks mark the answer `private, no-cache` (it is
 * on the offline allow-list, $lib/offline/policy), which the service worker keeps for offline use
 * and the browser revalidates with a cheap 304.
 */
export const GET: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	requireUser(locals);
	const t = tileAddress(params);
	const etag = `"${params.id}/${t.z}/${t.x}/${t.y}"`;
	const seen = (request.headers.get('if-none-match') ?? '')
		.split(',')
		.map((tag) => tag.trim().replace(/^W\//, ''));
	const headers = { etag, 'cache-control': 'private, no-cache' };
	if (seen.includes(etag)) return new Response(null, { status: 304, headers });
	const body = await basemapTile(params.id, t.z, t.x, t.y).catch((e: unknown) => {
		if (e instanceof BasemapError) error(404, { message: e.message });
		throw e;
	});
	// Outside the extract: no content (maplibre draws nothing there; the built-in map shows).
	if (!body) return new Response(null, { status: 204, headers });
	return new Response(body as Uint8Array<ArrayBuffer>, {
		headers: { ...headers, 'content-type': 'application/vnd.mapbox-vector-tile' }
	});
});
