import { getDb } from '$lib/server/db';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { exportRequest } from '$lib/server/export/http';
import type { RequestHandler } from './$types';

/** The list's export links: the same filters as the list, streamed as a file (RLS, audited). */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) =>
	exportRequest(await getDb(), requireUser(locals), url)
);
