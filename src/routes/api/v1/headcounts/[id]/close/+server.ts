import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { uuid } from '$lib/server/api/params';
import { closeHeadcount } from '$lib/server/headcounts';
import type { RequestHandler } from './$types';

/** Close a headcount (analysts and admins): no more answers, no more escalation. */
export const POST: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	return json(await closeHeadcount(user, uuid('id', params.id)), {
		headers: { 'cache-control': 'private, no-store' }
	});
});
