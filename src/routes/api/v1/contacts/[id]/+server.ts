import { apiRoute } from '$lib/server/api/route';
import { error, json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { invalid, jsonBody, uuid } from '$lib/server/api/params';
import { deleteContact, getContact, patchContact, saveContact } from '$lib/server/contacts';

import { contactArgs, contactPatch } from '$lib/domain/contacts';
import type { RequestHandler } from './$types';

/** One contact's details (audited); 404 when it does not exist or the caller may not see it. */
export const GET: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	const c = await getContact(user, uuid('id', params.id));
	if (!c) error(404, { message: 'no such contact' });
	return json(c);
});

/**
 * Replaces a contact's fields: a field not sent takes its default (PATCH changes only what is
 * sent). Field staff may correct the normal contacts of their areas (leave out `areas` and
 * `checkpoint_ids`; they cannot re-scope or restrict a contact).
 */
export const POST: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	const r = contactArgs(await jsonBody(request), uuid('id', params.id));
	if (!r.ok) return invalid(r.errors);
	return json(await saveContact(user, r.args));
});

/**
 * Changes the fields sent; the others stay as they are (merge semantics): `{"notes": "…"}`
 * changes the notes and nothing else. Answers {id, changed, contact}; a PATCH that changes
 * nothing writes nothing. Field staff: the normal contacts of their areas, not their areas,
 * checkpoints or sensitivity. A contact the caller may not see is a 404, as for GET.
 */
export const PATCH: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	const id = uuid('id', params.id);
	const r = contactPatch(await jsonBody(request));
	if (!r.ok) return invalid(r.errors);
	return json(await patchContact(user, id, r.patch));
});

/** Deletes a contact (analysts and admins). */
export const DELETE: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	return json(await deleteContact(user, uuid('id', params.id)));
});
