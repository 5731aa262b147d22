import { getDb } from '$lib/server/db';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { importRequest } from '$lib/server/import/http';
import type { RequestHandler } from './$types';

/**
 * The import page's upload: the file as the request body, options in the query (see
 * $lib/server/import/http). A raw body needs a CORS preflight from other origins; the Origin
 * check makes that explicit.
 */
export const POST: RequestHandler = apiRoute(async ({ locals, request, url }) => {
	const origin = request.headers.get('origin');
	if (origin && origin !== url.origin)
		return Response.json({ message: 'cross-origin request refused' }, { status: 403 });
	return importRequest(await getDb(), requireUser(locals, ['admin', 'analyst']), request, url);
});
