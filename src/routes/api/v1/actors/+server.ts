import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import {
	intParam,
	invalid,
	jsonBody,
	listParam,
	pcodeParam,
	textParam
} from '$lib/server/api/params';
import { listActors, saveActor } from '$lib/server/actors';
import { actorsRoute } from '$lib/server/actors/http';
import { ACTOR_TYPES, STANCES, actorArgs, actorInput, fieldErrors } from '$lib/domain/actors';
import type { RequestHandler } from './$types';

/** The actor registry: search any name (case/diacritics-insensitive), filter by type, stance, area. */
export const GET: RequestHandler = actorsRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const p = url.searchParams;
	return json(
		await listActors(user, {
			q: textParam(p, 'q'),
			types: listParam(p, 'type', { allowed: ACTOR_TYPES }),
			stances: listParam(p, 'stance', { allowed: STANCES }),
			area: pcodeParam(p, 'area'),
			limit: intParam(p, 'limit', { min: 1, max: 5000, fallback: 200 }),
			offset: intParam(p, 'offset', { min: 0, max: 10_000_000, fallback: 0 })
		})
	);
});

/** Creates an actor; 409 with the matches when it looks like one that exists (allow_duplicate: true overrides). */
export const POST: RequestHandler = actorsRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	const parsed = actorInput.safeParse(await jsonBody(request));
	if (!parsed.success) return invalid(fieldErrors(parsed.error));
	return json(await saveActor(user, actorArgs(parsed.data)), { status: 201 });
});
