import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, pcodeParam } from '$lib/server/api/params';
import { areaLevels, recordLevel } from '$lib/server/analysis';
import { limitParam, parseLevelInput } from '$lib/server/analysis/params';
import type { RequestHandler } from './$types';

/** An area's security level history, newest first. */
export const GET: RequestHandler = apiRoute(async ({ locals, params, url }) => {
	const user = requireUser(locals);
	return json(
		await areaLevels(
			user,
			pcodeParam(params, 'pcode', { required: true }),
			limitParam(url.searchParams, 1000, 200)
		)
	);
});

/** Records a new level {level, note, effective_date?} (analysts and admins). History is kept. */
export const POST: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const pcode = pcodeParam(params, 'pcode', { required: true });
	const input = parseLevelInput(await jsonBody(request));
	return json(await recordLevel(user, pcode, input), { status: 201 });
});
