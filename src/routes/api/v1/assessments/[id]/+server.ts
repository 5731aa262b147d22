import { error, json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { assessmentPatch } from '$lib/domain/assessments';
import { get, remove, update } from '$lib/server/assessments';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals);
	const a = await get(user, uuid('id', params.id));
	if (!a) error(404, { message: 'no such assessment, or not visible to you' });
	return json(a);
});

/** Changes a draft (merge): title, notes, status → final, refresh (re-run into the snapshot). */
export const PATCH: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	const patch = parseWith(assessmentPatch, await jsonBody(request));
	return json(await update(user, uuid('id', params.id), patch));
});

export const DELETE: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	return json(await remove(user, uuid('id', params.id)));
});
