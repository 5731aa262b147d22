import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { answerHeadcount, zHeadcountAnswer } from '$lib/server/headcounts';
import type { RequestHandler } from './$types';

/**
 * The caller's answer: {"answer": "safe" | "need_help", "lon", "lat", "note"}. Sent by the outbox
 * with its client id as Idempotency-Key, so a replay after a lost answer is answered, not redone.
 */
export const POST: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals);
	const a = parseWith(zHeadcountAnswer, await jsonBody(request));
	return json(await answerHeadcount(user, uuid('id', params.id), a), {
		headers: { 'cache-control': 'private, no-store' }
	});
});
