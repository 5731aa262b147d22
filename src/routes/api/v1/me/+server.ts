import { json } from '@sveltejs/kit';
import { rpc } from '$lib/server/db';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import type { RequestHandler } from './$types';

/** The caller's own profile (id, email, display_name, role, disabled, assigned_areas, created_at). */
export const GET: RequestHandler = apiRoute(async ({ locals }) => {
	const user = requireUser(locals);
	return json(await rpc('me', {}, user));
});
