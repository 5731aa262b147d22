import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { listHeadcounts, startHeadcount, zHeadcountStart } from '$lib/server/headcounts';
import type { RequestHandler } from './$types';

const NO_STORE = { 'cache-control': 'private, no-store' };

/** The headcounts the caller may see (staff: all; others: those they are counted in). */
export const GET: RequestHandler = apiRoute(async ({ locals }) => {
	const user = requireUser(locals);
	return json(await listHeadcounts(user), { headers: NO_STORE });
});

/** Start a headcount (analysts and admins): everyone, a base or an area. */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const h = parseWith(zHeadcountStart, await jsonBody(request));
	return json(await startHeadcount(user, h), { status: 201, headers: NO_STORE });
});
