import { apiRoute } from '$lib/server/api/route';
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import {
	intParam,
	invalid,
	jsonBody,
	oneOf,
	pcodeParam,
	textParam,
	uuidParam
} from '$lib/server/api/params';
import { listContacts, saveContact } from '$lib/server/contacts';

import { SENSITIVITIES, contactArgs } from '$lib/domain/contacts';
import type { RequestHandler } from './$types';

/**
 * The contacts the caller may see (RLS: analysts and admins all; field staff the normal contacts
 * of their assigned areas; viewers none — 403). Every call is written to the audit log.
 */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	const p = url.searchParams;
	return json(
		await listContacts(user, {
			q: textParam(p, 'q'),
			area: pcodeParam(p, 'area'),
			actorId: uuidParam(p, 'actor'),
			checkpointId: uuidParam(p, 'checkpoint'),
			sensitivity: p.get('sensitivity')
				? oneOf('sensitivity', p.get('sensitivity'), SENSITIVITIES)
				: null,
			limit: intParam(p, 'limit', { min: 1, max: 2000, fallback: 200 }),
			offset: intParam(p, 'offset', { min: 0, max: 10_000_000, fallback: 0 })
		})
	);
});

/** Adds a contact (analysts and admins). Phone numbers may be typed any usual way; they are stored in E.164. */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const r = contactArgs(await jsonBody(request));
	if (!r.ok) return invalid(r.errors);
	return json(await saveContact(user, r.args), { status: 201 });
});
