import { error, json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { intParam, invalid, jsonBody, oneOf, uuid, uuidParam } from '$lib/server/api/params';
import { deleteActor, getActor, saveActor } from '$lib/server/actors';
import { actorsRoute } from '$lib/server/actors/http';
import { ACTOR_FIELDS, DELETE_MODES, actorArgs, actorInput, fieldErrors } from '$lib/domain/actors';
import { mergePatch } from '$lib/server/api/merge';
import type { RequestHandler } from './$types';

/** One actor: profile, presence, relationships, derived confrontations, incidents involving it. */
export const GET: RequestHandler = actorsRoute(async ({ locals, params, url }) => {
	const user = requireUser(locals);
	const a = await getActor(
		user,
		uuid('id', params.id),
		intParam(url.searchParams, 'incidents', { min: 0, max: 500, fallback: 20 })
	);
	if (!a) error(404, { message: 'no such actor' });
	return json(a);
});

/** Replaces an actor's editable fields (analysts and admins): fields not sent take their defaults. */
export const POST: RequestHandler = actorsRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const parsed = actorInput.safeParse(await jsonBody(request));
	if (!parsed.success) return invalid(fieldErrors(parsed.error));
	return json(await saveActor(user, actorArgs(parsed.data, uuid('id', params.id))));
});

/**
 * Changes the fields sent (analysts and admins); fields not sent stay as they are (merge
 * semantics): `{"notes": "…"}` changes the notes and nothing else.
 */
export const PATCH: RequestHandler = actorsRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const id = uuid('id', params.id);
	const body = await jsonBody(request);
	const current = await getActor(user, id, 0);
	if (!current) error(404, { message: 'no such actor' });
	const parsed = actorInput.safeParse(mergePatch(ACTOR_FIELDS, current, body));
	if (!parsed.success) return invalid(fieldErrors(parsed.error));
	return json(await saveActor(user, actorArgs(parsed.data, id)));
});

/**
 * Deletes an actor (admins). When relationships, contacts, incidents, checkpoints or presence
 * depend on it, `mode` says what happens to them: reassign (to `target`), detach or delete.
 */
export const DELETE: RequestHandler = actorsRoute(async ({ locals, params, url }) => {
	const user = requireUser(locals, ['admin']);
	const mode = url.searchParams.get('mode')
		? oneOf('mode', url.searchParams.get('mode'), DELETE_MODES)
		: null;
	const target = uuidParam(url.searchParams, 'target');
	if (mode === 'reassign' && !target)
		return invalid({ target: 'reassign needs the actor to move everything to' });
	return json(await deleteActor(user, uuid('id', params.id), mode, target));
});
