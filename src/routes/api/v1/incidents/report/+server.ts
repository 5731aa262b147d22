/**
 * The incident reporting API, for scripts and integrations:
 *   GET  /api/v1/incidents/report   list: the map's filters + q, status, sort, dir, page, size
 *   POST /api/v1/incidents/report   report an incident (the shared zod schema, then SQL)
 */
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody } from '$lib/server/api/params';
import { idempotencyKey } from '$lib/server/api/idempotency';
import * as incidents from '$lib/server/incidents';
import { duplicateWindow, invalid, REPORTERS } from '$lib/server/incidents/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const r = await incidents.list(user, url.searchParams);
	return json({ total: r.total, page: r.query.page, size: r.query.size, rows: r.rows });
});

export const POST: RequestHandler = apiRoute(async ({ locals, request, url }) => {
	const user = requireUser(locals, REPORTERS);
	const body = await jsonBody(request);
	// With an Idempotency-Key, a retry gets the first answer back and creates nothing.
	const r = await incidents.create(user, body, duplicateWindow(url), {
		idempotencyKey: idempotencyKey(request)
	});
	if (!r.ok) return invalid(r.errors);
	return json({ incident: r.incident, duplicates: r.duplicates }, { status: 201 });
});
