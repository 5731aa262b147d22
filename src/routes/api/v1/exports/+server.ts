/** GET /api/v1/exports?from=…&format=…   export (see $lib/server/export/http.ts). */
import { getDb } from '$lib/server/db';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { exportRequest } from '$lib/server/export/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = apiRoute(async ({ locals, url }) =>
	exportRequest(await getDb(), requireUser(locals), url)
);
