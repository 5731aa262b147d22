import { json } from '@sveltejs/kit';
import * as accounts from '$lib/server/auth';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody } from '$lib/server/api/params';
import { addUserAs, checkNewUser, fieldError } from '$lib/server/auth/accounts';
import type { RequestHandler } from './$types';

// Admin only. The role check here gives a clear 403; RLS (users_list shows others' rows to admins
// only) and user_add's own check would refuse anyway.
const ADMIN = ['admin'] as const;

export const GET: RequestHandler = apiRoute(async ({ locals }) => {
	const user = requireUser(locals, ADMIN);
	return json(await accounts.listUsers(user));
});

/** Adds a local account: {email, role, display_name, password (≥ 12 characters, to be replaced at first sign-in)}. */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ADMIN);
	const checked = checkNewUser(await jsonBody(request));
	if (!checked.ok) throw fieldError(checked.errors);
	return json(await addUserAs(user, checked.value), { status: 201 });
});
