import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, FilterError } from '$lib/server/api/params';
import {
	listMovements,
	saveMovement,
	MOVEMENT_STATUSES,
	type MovementStatus
} from '$lib/server/movements';
import type { RequestHandler } from './$types';

const NO_STORE = { 'cache-control': 'private, no-store' };

/** The movements the caller may see (viewers: 403). ?status=submitted,approved */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	const raw = url.searchParams.get('status');
	const status = raw ? raw.split(',').map((s) => s.trim()) : undefined;
	for (const s of status ?? [])
		if (!(MOVEMENT_STATUSES as readonly string[]).includes(s))
			throw new FilterError('status', `unknown value "${s}"`);
	return json(await listMovements(user, status as MovementStatus[] | undefined), {
		headers: NO_STORE
	});
});

/** A new draft plan. */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	const m = await saveMovement(user, null, await jsonBody(request));
	return json(m, { status: 201, headers: NO_STORE });
});
