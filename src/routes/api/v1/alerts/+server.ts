import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { intParam } from '$lib/server/api/params';
import { listAlerts } from '$lib/server/alerts';
import type { RequestHandler } from './$types';

/** The caller's alerts, newest first. ?unread=1: only those not acknowledged (or snooze ended). */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const unread = ['1', 'true'].includes(url.searchParams.get('unread') ?? '');
	const limit = intParam(url.searchParams, 'limit', { min: 1, max: 1000, fallback: 100 });
	return json(await listAlerts(user, unread, limit), {
		headers: { 'cache-control': 'private, no-store' }
	});
});
