import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { FilterError, uuid } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { acknowledgeBriefing, briefingAcknowledgements } from '$lib/server/briefings';
import { zBriefingAck } from '$lib/domain/briefings';
import type { RequestHandler } from './$types';

/** Who acknowledged the pack (analysts and admins: everyone; others: themselves). */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals);
	return json(await briefingAcknowledgements(user, uuid('id', params.id)), {
		headers: { 'cache-control': 'private, no-store' }
	});
});

/** "Read and understood": {version?, language?}; a stale version is a 409 (read it again). */
export const POST: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals);
	// The body is optional: an empty POST acknowledges the current version in the reader's language.
	const text = await request.text();
	let raw: unknown = {};
	try {
		if (text.trim()) raw = JSON.parse(text);
	} catch {
		throw new FilterError('body', 'expected a JSON object (content-type: application/json)');
	}
	const body = parseWith(zBriefingAck, raw);
	const lang = body.language ?? locals.locale;
	return json(await acknowledgeBriefing(user, uuid('id', params.id), body.version ?? null, lang), {
		status: 201
	});
});
