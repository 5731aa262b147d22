/** Alerts: the verbs pages, API routes and the live feed use (RLS decides what a user sees). */
import { call } from '../analysis/index.ts';
import type { CallerUser } from '../db/types.ts';
import type { Alert, AlertDisposition } from '../../domain/alerts.ts';

export const listAlerts = (as: CallerUser, unread = false, limit = 100) =>
	call<Alert[]>('alerts_list', { p_unread: unread, p_limit: limit }, as);

export const getAlert = (as: CallerUser, id: string) => call<Alert>('alert_get', { p_id: id }, as);

export const ackAlert = (
	as: CallerUser,
	id: string,
	a: { disposition: AlertDisposition; note?: string; snoozed_until?: string | null }
) =>
	call<Alert>(
		'alert_ack',
		{
			p_id: id,
			p_disposition: a.disposition,
			p_note: a.note ?? '',
			p_snoozed_until: a.snoozed_until ?? null
		},
		as
	);
