import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { uuid } from '$lib/server/api/params';
import { getHeadcount } from '$lib/server/headcounts';
import type { RequestHandler } from './$types';

/** One headcount: the board (staff: every person; others: their own answer). Audited. */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals);
	return json(await getHeadcount(user, uuid('id', params.id)), {
		headers: { 'cache-control': 'private, no-store' }
	});
});
