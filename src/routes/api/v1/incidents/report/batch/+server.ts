/**
 * POST /api/v1/incidents/report/batch — {items: [{id, body}]}: many reports in one request, each
 * with its client id as idempotency key, answered one by one and in order (see incidents/batch.ts).
 * The request succeeds (200) when it was read; each item's own status says what became of it.
 */
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { batchSchema, reportBatch } from '$lib/server/incidents/batch';
import { duplicateWindow, REPORTERS } from '$lib/server/incidents/http';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = apiRoute(async ({ locals, request, url }) => {
	const user = requireUser(locals, REPORTERS);
	const { items } = parseWith(batchSchema, await jsonBody(request));
	const results = await reportBatch(user, items, duplicateWindow(url));
	return json({ results });
});
