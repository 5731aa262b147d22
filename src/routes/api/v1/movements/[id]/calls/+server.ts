import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid, oneOf, textField } from '$lib/server/api/params';
import { logCall } from '$lib/server/movements';
import type { RequestHandler } from './$types';

const OUTCOMES = ['confirmed', 'conditions', 'advised_against', 'no_answer'] as const;

/** A safe-access call: who was called (a contact or a name), about which area, what they said. */
export const POST: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	const b = await jsonBody(request);
	const m = await logCall(user, uuid('id', params.id), {
		outcome: oneOf('outcome', typeof b.outcome === 'string' ? b.outcome : null, OUTCOMES),
		contact_id: b.contact_id ? uuid('contact_id', String(b.contact_id)) : undefined,
		contact_name: textField(b, 'contact_name', { max: 200 }) || undefined,
		pcode: textField(b, 'pcode', { max: 20 }) || undefined,
		segment: textField(b, 'segment', { max: 500 }) || undefined,
		said: textField(b, 'said', { max: 4000 }),
		called_at: textField(b, 'called_at', { max: 40 }) || undefined
	});
	return json(m, { status: 201, headers: { 'cache-control': 'private, no-store' } });
});
