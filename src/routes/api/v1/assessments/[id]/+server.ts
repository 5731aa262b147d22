import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { assessmentPatch } from '$lib/domain/assessments';
import { get, remove, update } from '$lib/server/assessments';
import { printableGet } from '$lib/server/pdf/record';
import type { RequestHandler } from './$types';

/**
 * One saved assessment as the caller may read it; ?format=pdf prints it (the print page loaded by
 * the server's Chromium with the caller's own credential: the same need-to-know as the JSON).
 */
export const GET: RequestHandler = printableGet({
	load: get,
	missing: 'no such assessment, or not visible to you',
	print: '/print/assessments',
	name: 'assessment'
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
