import { fail, redirect } from '@sveltejs/kit';
import { isDbError } from '$lib/server/api/respond';
import { ackAlert, listAlerts } from '$lib/server/alerts';
import { ALERT_DISPOSITIONS, type AlertDisposition } from '$lib/domain/alerts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	return { alerts: await listAlerts(locals.user) };
};

export const actions: Actions = {
	ack: async ({ locals, request }) => {
		if (!locals.user) return fail(401, { error: 'sign in' });
		const fd = await request.formData();
		const id = String(fd.get('id') ?? '');
		const disposition = String(fd.get('disposition') ?? '') as AlertDisposition;
		if (!ALERT_DISPOSITIONS.includes(disposition))
			return fail(400, { id, error: 'disposition: choose one' });
		const hours = Number(fd.get('snooze_hours') ?? 0);
		try {
			await ackAlert(locals.user, id, {
				disposition,
				note: String(fd.get('note') ?? ''),
				snoozed_until: hours > 0 ? new Date(Date.now() + hours * 3600_000).toISOString() : null
			});
		} catch (e) {
			if (isDbError(e) && e.httpStatus < 500) return fail(e.httpStatus, { id, error: e.message });
			throw e;
		}
		return { id, acked: true };
	}
};
