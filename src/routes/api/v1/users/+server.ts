import { json } from '@sveltejs/kit';
import { rpc } from '$lib/server/db';
import { hashPassword } from '$lib/server/auth/password';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody } from '$lib/server/api/params';
import { checkNewUser, fieldError } from '$lib/server/api/accounts';
import type { RequestHandler } from './$types';

// Admin only. The role check here gives a clear 403; RLS (users_list shows others' rows to admins
// only) and user_add's own check would refuse anyway.
const ADMIN = ['admin'] as const;

export const GET: RequestHandler = apiRoute(async ({ locals }) => {
	const user = requireUser(locals, ADMIN);
	return json(await rpc('users_list', {}, user));
});

/** Adds a local account: {email, role, display_name, password (≥ 12 characters)}. */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ADMIN);
	const checked = checkNewUser(await jsonBody(request));
	if (!checked.ok) throw fieldError(checked.errors);
	const { email, role, display_name, password } = checked.value;
	const created = await rpc('user_add', { p_email: email, p_role: role, p_display_name: display_name, p_password_hash: await hashPassword(password) }, user);
	return json(created, { status: 201 });
});
