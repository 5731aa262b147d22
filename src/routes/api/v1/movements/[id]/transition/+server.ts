import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid, oneOf, textField } from '$lib/server/api/params';
import { MOVEMENT_STATUSES, transitionMovement } from '$lib/server/movements';
import type { RequestHandler } from './$types';

/**
 * One step of the workflow: {"to": "submitted" | "approved" | "approved_conditions" | "refused" |
 * "under_way" (check-out) | "completed" (check-in) | "closed" | "cancelled" | "draft",
 * "reason", "conditions", "lon", "lat"}. Who may take which step is decided in SQL.
 */
export const POST: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	const body = await jsonBody(request);
	const to = oneOf('to', typeof body.to === 'string' ? body.to : null, MOVEMENT_STATUSES);
	const num = (k: string) => (typeof body[k] === 'number' ? (body[k] as number) : undefined);
	const m = await transitionMovement(user, uuid('id', params.id), to, {
		reason: textField(body, 'reason', { max: 2000 }),
		conditions: textField(body, 'conditions', { max: 2000 }) || undefined,
		lon: num('lon'),
		lat: num('lat')
	});
	return json(m, { headers: { 'cache-control': 'private, no-store' } });
});
