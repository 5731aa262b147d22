import { requireUser } from '$lib/server/api/respond';
import { checkAreas } from '$lib/server/incidents';
import { apiRoute } from '$lib/server/api/route';
import { filtersWithoutBbox } from '$lib/server/api/params';
import { incidentDataVersion, incidentTile, tileAddress, tileEtag } from '$lib/server/tiles';
import type { RequestHandler } from './$types';

/**
 * One Mapbox Vector Tile (layer "incidents") for the map's filters (from, to, type, area), as the
 * caller may see them. Tiles hold need-to-know data: the browser may keep them (private), no
 * shared cache may; the ETag follows the incidents' data version, so a revalidation is a 304
 * until an incident changes.
 */
export const GET: RequestHandler = apiRoute(async ({ locals, params, url, request }) => {
	const user = requireUser(locals);
	const t = tileAddress(params);
	const filters = filtersWithoutBbox(url.searchParams);
	await checkAreas(user, filters);
	const etag = tileEtag(
		await incidentDataVersion(user),
		user,
		`${t.z}/${t.x}/${t.y}?${url.searchParams}`
	);
	const headers = {
		etag,
		'cache-control': 'private, no-cache',
		vary: 'Cookie, Authorization'
	};
	const seen = (request.headers.get('if-none-match') ?? '')
		.split(',')
		.map((tag) => tag.trim().replace(/^W\//, ''));
	if (seen.includes(etag)) return new Response(null, { status: 304, headers });
	const body = await incidentTile(user, t, filters);
	return new Response(body as Uint8Array<ArrayBuffer>, {
		headers: { ...headers, 'content-type': 'application/vnd.mapbox-vector-tile' }
	});
});
