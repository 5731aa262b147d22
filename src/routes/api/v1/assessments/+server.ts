import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, oneOf } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { assessmentCreate } from '$lib/domain/assessments';
import { create, list } from '$lib/server/assessments';
import type { RequestHandler } from './$types';

/** Saved assessments the caller may read (viewers: final ones in their scope), newest first. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const raw = url.searchParams.get('status');
	const status = raw ? oneOf('status', raw, ['draft', 'final'] as const) : null;
	return json(await list(user, status));
});

/** Saves a draft {title, query, notes?}: the profile of the query becomes its snapshot. */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	const b = parseWith(assessmentCreate, await jsonBody(request));
	return json(await create(user, b.title, b.query, b.notes ?? ''), { status: 201 });
});
