/**
 *   GET  /api/v1/imports          the caller's recent imports and the saved mappings
 *   POST /api/v1/imports?into=…   import the request body (see $lib/server/import/http.ts)
 */
import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { importRequest } from '$lib/server/import/http';
import * as imports from '$lib/server/import';
import { ANALYSTS } from '$lib/server/incidents/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = apiRoute(async ({ locals }) => {
	const user = requireUser(locals, ANALYSTS);
	const [jobs, mappings] = await Promise.all([imports.jobs(user, 50), imports.mappings(user)]);
	return json({ jobs, mappings });
});

export const POST: RequestHandler = apiRoute(async ({ locals, request, url }) =>
	importRequest(await getDb(), requireUser(locals, ANALYSTS), request, url)
);
