import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { invalid, jsonBody, uuid } from '$lib/server/api/params';
import { removeRelationship, saveRelationship } from '$lib/server/actors';
import { actorsRoute } from '$lib/server/actors/http';
import { fieldErrors, relationshipArgs, relationshipInput } from '$lib/domain/actors';
import type { RequestHandler } from './$types';

/** Changes a relationship (analysts and admins). */
export const POST: RequestHandler = actorsRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const parsed = relationshipInput.safeParse(await jsonBody(request));
	if (!parsed.success) return invalid(fieldErrors(parsed.error));
	return json(await saveRelationship(user, relationshipArgs(parsed.data, uuid('id', params.id))));
});

/** Removes a relationship (analysts and admins). */
export const DELETE: RequestHandler = actorsRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	return json(await removeRelationship(user, uuid('id', params.id)));
});
