import { apiRoute } from '$lib/server/api/route';
import { json } from '@sveltejs/kit';
import * as accounts from '$lib/server/auth';
import { requireUser } from '$lib/server/api/respond';
import { invalid, jsonBody, uuid } from '$lib/server/api/params';

import { withFieldErrors } from '$lib/server/db/errors';
import type { RequestHandler } from './$types';
import { PCODE } from '$lib/domain/codes';

/**
 * Sets the areas (P-codes) a field user works in, which decide the contacts they see (admins).
 * Body: {user_id, areas: [P-code, …]}.
 */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin']);
	const body = await jsonBody(request);
	const userId = uuid('user_id', typeof body.user_id === 'string' ? body.user_id : null);
	const areas = body.areas;
	if (!Array.isArray(areas) || areas.some((a) => typeof a !== 'string' || !PCODE.test(a))) {
		return invalid({ areas: 'expected a list of P-codes such as IQD0101' });
	}
	return json(await withFieldErrors(accounts.setAreas(user, userId, areas)));
});
