import { json } from '@sveltejs/kit';
import { rpc } from '$lib/server/db';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody } from '$lib/server/api/params';
import { checkTokenName, fieldError, newApiToken } from '$lib/server/api/accounts';
import type { RequestHandler } from './$types';

/** The caller's API tokens (never the secrets: only a prefix of each). */
export const GET: RequestHandler = apiRoute(async ({ locals }) => {
	const user = requireUser(locals);
	return json(await rpc('tokens_mine', {}, user));
});

/** Creates a token for the caller; the secret is in this response and nowhere else, ever. */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals);
	const name = checkTokenName((await jsonBody(request)).name);
	if (!name.ok) throw fieldError(name.errors);
	const { secret, args } = newApiToken(name.value);
	const created = await rpc<{ id: string; name: string; prefix: string }>(
		'token_create',
		args,
		user
	);
	return json({ ...created, token: secret }, { status: 201 });
});
