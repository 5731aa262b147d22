import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid, oneOf, textField } from '$lib/server/api/params';
import { MOVEMENT_STATUSES, submitMovement, transitionMovement } from '$lib/server/movements';
import type { RequestHandler } from './$types';

/**
 * One step of the workflow: {"to": "submitted" | "approved" | "approved_conditions" | "refused" |
 * "under_way" (check-out) | "completed" (check-in) | "closed" | "cancelled" | "draft",
 * "reason", "conditions", "lon", "lat"}. Who may take which step is decided in SQL. A step sent
 * again with the same Idempotency-Key (the outbox's retry after a lost answer) is answered with the
 * first answer and taken once (db/context.ts). Submitting stores the route risk the approver sees.
 */
export const POST: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	const body = await jsonBody(request);
	const to = oneOf('to', typeof body.to === 'string' ? body.to : null, MOVEMENT_STATUSES);
	const num = (k: string) => (typeof body[k] === 'number' ? (body[k] as number) : undefined);
	const id = uuid('id', params.id);
	const reason = textField(body, 'reason', { max: 2000 });
	if (to === 'submitted')
		return json(await submitMovement(user, id, reason), {
			headers: { 'cache-control': 'private, no-store' }
		});
	const m = await transitionMovement(user, id, to, {
		reason,
		conditions: textField(body, 'conditions', { max: 2000 }) || undefined,
		lon: num('lon'),
		lat: num('lat')
	});
	return json(m, { headers: { 'cache-control': 'private, no-store' } });
});
