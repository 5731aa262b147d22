import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, oneOf, textField, uuid } from '$lib/server/api/params';
import { ackAlert } from '$lib/server/alerts';
import { ALERT_DISPOSITIONS } from '$lib/domain/alerts';
import type { RequestHandler } from './$types';

/**
 * Acknowledge an alert once: {"disposition", "note", "snoozed_until"}. A second acknowledgement
 * by the same user is refused (409).
 */
export const POST: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals);
	const body = await jsonBody(request);
	const disposition = oneOf(
		'disposition',
		typeof body.disposition === 'string' ? body.disposition : null,
		ALERT_DISPOSITIONS
	);
	const a = await ackAlert(user, uuid('id', params.id), {
		disposition,
		note: textField(body, 'note', { max: 2000 }),
		snoozed_until: typeof body.snoozed_until === 'string' ? body.snoozed_until : null
	});
	return json(a, { headers: { 'cache-control': 'private, no-store' } });
});
