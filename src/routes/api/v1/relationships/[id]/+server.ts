import { error, json } from '@sveltejs/kit';
import { mergePatch } from '$lib/server/api/merge';
import { requireUser } from '$lib/server/api/respond';
import { invalid, jsonBody, uuid } from '$lib/server/api/params';
import { getRelationship, removeRelationship, saveRelationship } from '$lib/server/actors';
import { actorsRoute } from '$lib/server/actors/http';
import {
	RELATIONSHIP_FIELDS,
	fieldErrors,
	relationshipArgs,
	relationshipInput
} from '$lib/domain/actors';
import type { RequestHandler } from './$types';

/** Replaces a relationship's fields (analysts and admins); fields not sent take their defaults. */
export const POST: RequestHandler = actorsRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const parsed = relationshipInput.safeParse(await jsonBody(request));
	if (!parsed.success) return invalid(fieldErrors(parsed.error));
	return json(await saveRelationship(user, relationshipArgs(parsed.data, uuid('id', params.id))));
});

/** Changes the fields sent (analysts and admins); the others stay as they are. */
export const PATCH: RequestHandler = actorsRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const id = uuid('id', params.id);
	const body = await jsonBody(request);
	const current = await getRelationship(user, id);
	if (!current) error(404, { message: 'no such relationship' });
	const parsed = relationshipInput.safeParse(mergePatch(RELATIONSHIP_FIELDS, current, body));
	if (!parsed.success) return invalid(fieldErrors(parsed.error));
	return json(await saveRelationship(user, relationshipArgs(parsed.data, id)));
});

/** Removes a relationship (analysts and admins). */
export const DELETE: RequestHandler = actorsRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	return json(await removeRelationship(user, uuid('id', params.id)));
});
