import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { movementBoardItem } from '$lib/server/movements';
import { liveEventStream } from '$lib/server/live/sse';
import type { RequestHandler } from './$types';

/**
 * The live movements board: `event: movement` with the movement's board row (the list's shape)
 * whenever any process on the database moves one (submitted, approved, checked out, checked in,
 * overdue…). Each row is read as the subscriber, so a field user hears only of the movements
 * RLS lets them read; viewers get 403, as for the list. No route, stop or team is ever sent.
 */
export const GET: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	return liveEventStream(request, async (m) => {
		const ids =
			m.kind === 'movement' && typeof m.id === 'string'
				? [m.id]
				: m.kind === 'movements_overdue' && Array.isArray(m.ids)
					? m.ids.filter((x): x is string => typeof x === 'string')
					: [];
		const rows = await Promise.all(ids.map((id) => movementBoardItem(user, id)));
		return rows.filter((r) => r !== null).map((r) => ({ event: 'movement', data: r }));
	});
});
