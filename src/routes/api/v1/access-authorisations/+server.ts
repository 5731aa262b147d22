import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, pcodeParam } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import {
	listAuthorisations,
	saveAuthorisation,
	zAuthorisationFields
} from '$lib/server/movements/authorisations';
import type { RequestHandler } from './$types';

const NO_STORE = { 'cache-control': 'private, no-store' };

/** The register the caller may read (analysts, admins: all; field staff: their own). ?pcode= */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	const pcode = pcodeParam(url.searchParams, 'pcode') ?? undefined;
	return json(await listAuthorisations(user, pcode), { headers: NO_STORE });
});

/** Record an authorisation (analysts and admins). */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const fields = parseWith(zAuthorisationFields, await jsonBody(request));
	return json(await saveAuthorisation(user, null, fields), { status: 201, headers: NO_STORE });
});
