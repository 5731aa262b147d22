import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody } from '$lib/server/api/params';
import { checkTokenName, fieldError } from '$lib/server/auth/accounts';
import { createToken, tokensMine, revokeAllTokens, tokenDays } from '$lib/server/auth';
import type { RequestHandler } from './$types';

/** The caller's API tokens (never the secrets: only a prefix of each), with their expiry. */
export const GET: RequestHandler = apiRoute(async ({ locals }) => {
	return json(await tokensMine(requireUser(locals)));
});

/**
 * Creates a token for the caller, valid `expires_in_days` (default 90); the secret is in this
 * response and nowhere else, ever, and `expires_at` says when it stops working.
 */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals);
	const body = await jsonBody(request);
	const name = checkTokenName(body.name);
	if (!name.ok) throw fieldError(name.errors);
	return json(await createToken(user, name.value, tokenDays(body.expires_in_days)), {
		status: 201
	});
});

/** Revokes every live token of the caller. */
export const DELETE: RequestHandler = apiRoute(async ({ locals }) => {
	return json(await revokeAllTokens(requireUser(locals)));
});
