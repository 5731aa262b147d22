import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { intParam, jsonBody, uuidParam } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { listBriefings, saveBriefing } from '$lib/server/briefings';
import { zBriefingInput } from '$lib/domain/briefings';
import type { RequestHandler } from './$types';

/** Briefing packs the caller may read (RLS: viewers and field staff only final ones in scope). */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const limit = intParam(url.searchParams, 'limit', { min: 1, max: 1000, fallback: 200 });
	return json(await listBriefings(user, uuidParam(url.searchParams, 'base'), limit), {
		headers: { 'cache-control': 'private, no-store' }
	});
});

/** Write a pack: {base_id, title, status?, classification?, narrative?, customs?}. */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const input = parseWith(zBriefingInput, await jsonBody(request));
	return json(await saveBriefing(user, null, input), { status: 201 });
});
