import { json } from '@sveltejs/kit';
import { rpc } from '$lib/server/db';
import { requireUser } from '$lib/server/api/respond';
import { jsonBody, uuid } from '$lib/server/api/params';
import { actorsRoute, invalid } from '$lib/server/actors/http';
import { withFieldErrors } from '$lib/server/actors';
import type { RequestHandler } from './$types';
import { PCODE } from '$lib/domain/codes';

/**
 * Sets the areas (P-codes) a field user works in, which decide the contacts they see (admins).
 * Body: {user_id, areas: [P-code, …]}.
 */
export const POST: RequestHandler = actorsRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin']);
	const body = await jsonBody(request);
	const userId = uuid('user_id', typeof body.user_id === 'string' ? body.user_id : null);
	const areas = body.areas;
	if (!Array.isArray(areas) || areas.some((a) => typeof a !== 'string' || !PCODE.test(a))) {
		return invalid({ areas: 'expected a list of P-codes such as IQD0101' });
	}
	return json(
		await withFieldErrors(rpc('user_set_areas', { p_user_id: userId, p_areas: areas }, user))
	);
});
