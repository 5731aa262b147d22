import { error, json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, oneOf, uuid } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { assessmentPatch } from '$lib/domain/assessments';
import { get, remove, update } from '$lib/server/assessments';
import { pdfAnswer } from '$lib/server/pdf';
import type { RequestHandler } from './$types';

/**
 * One saved assessment as the caller may read it; ?format=pdf prints it (the print page loaded by
 * the server's Chromium with the caller's own credential: the same need-to-know as the JSON).
 */
export const GET: RequestHandler = apiRoute(async (event) => {
	const user = requireUser(event.locals);
	const id = uuid('id', event.params.id);
	const format = oneOf(
		'format',
		event.url.searchParams.get('format'),
		['json', 'pdf'] as const,
		'json'
	);
	const a = await get(user, id);
	if (!a) error(404, { message: 'no such assessment, or not visible to you' });
	if (format === 'json') return json(a);
	return pdfAnswer(event, `/print/assessments/${id}`, `assessment-${id}.pdf`);
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
