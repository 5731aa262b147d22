import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { dateParam, invalid, jsonBody, listParam, uuidParam } from '$lib/server/api/params';
import { relationshipsAsOf, saveRelationship } from '$lib/server/actors';
import { actorsRoute } from '$lib/server/actors/http';
import { EDGE_KINDS, fieldErrors, relationshipArgs, relationshipInput } from '$lib/domain/actors';
import type { RequestHandler } from './$types';

/**
 * The relationships standing on `as_of` (all of them without it), and the confrontations derived
 * from incidents up to that date; optionally of some kinds or involving one actor.
 */
export const GET: RequestHandler = actorsRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const p = url.searchParams;
	return json(
		await relationshipsAsOf(
			user,
			dateParam(p, 'as_of'),
			listParam(p, 'kind', { allowed: EDGE_KINDS }),
			uuidParam(p, 'actor')
		)
	);
});

/** Maps a relationship (analysts and admins). */
export const POST: RequestHandler = actorsRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const parsed = relationshipInput.safeParse(await jsonBody(request));
	if (!parsed.success) return invalid(fieldErrors(parsed.error));
	return json(await saveRelationship(user, relationshipArgs(parsed.data)), { status: 201 });
});
