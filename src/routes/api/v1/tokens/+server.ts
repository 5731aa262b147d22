import { json } from '@sveltejs/kit';
import * as accounts from '$lib/server/auth';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody } from '$lib/server/api/params';
import { checkTokenName, fieldError } from '$lib/server/auth/accounts';
import type { RequestHandler } from './$types';

/** The caller's API tokens (never the secrets: only a prefix of each). */
export const GET: RequestHandler = apiRoute(async ({ locals }) => {
	const user = requireUser(locals);
	return json(await accounts.tokensMine(user));
});

/** Creates a token for the caller; the secret is in this response and nowhere else, ever. */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals);
	const name = checkTokenName((await jsonBody(request)).name);
	if (!name.ok) throw fieldError(name.errors);
	return json(await accounts.createToken(user, name.value), { status: 201 });
});
