import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { getAlert } from '$lib/server/alerts';
import { liveEventStream } from '$lib/server/live/sse';
import type { RequestHandler } from './$types';

/**
 * Server-sent events: `event: alert` with the alert as JSON, as soon as any process on the
 * database raises one the caller may see (each alert is read as the caller, so RLS decides).
 */
export const GET: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals);
	return liveEventStream(request, async (m) =>
		m.kind === 'alert' && typeof m.id === 'string'
			? [{ event: 'alert', data: await getAlert(user, m.id) }]
			: []
	);
});
