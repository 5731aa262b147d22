import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import {
	getAuthorisation,
	saveAuthorisation,
	zAuthorisationFields
} from '$lib/server/movements/authorisations';
import type { RequestHandler } from './$types';

const NO_STORE = { 'cache-control': 'private, no-store' };

/** One authorisation (the read is audited). */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	return json(await getAuthorisation(user, uuid('id', params.id)), { headers: NO_STORE });
});

/** Change one (analysts and admins); merge semantics: fields not sent stay as they are. */
export const PATCH: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const fields = parseWith(zAuthorisationFields, await jsonBody(request));
	return json(await saveAuthorisation(user, uuid('id', params.id), fields), { headers: NO_STORE });
});
