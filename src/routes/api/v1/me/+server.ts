import { json } from '@sveltejs/kit';
import * as accounts from '$lib/server/auth';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import type { RequestHandler } from './$types';

/** The caller's own profile (id, email, display_name, role, disabled, assigned_areas, created_at). */
export const GET: RequestHandler = apiRoute(async ({ locals }) => {
	const user = requireUser(locals);
	return json(await accounts.me(user));
});
