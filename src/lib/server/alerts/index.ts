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

/** An alert rule: a user's subscription to incidents near our sites, movements or areas. */
export type AlertRule = Record<string, unknown> & { id: string; name: string };

export const listAlertRules = (as: CallerUser) => call<AlertRule[]>('alert_rules_list', {}, as);

/** Create (id null) or change one of the caller's rules; merge semantics. */
export const saveAlertRule = (as: CallerUser, id: string | null, fields: Record<string, unknown>) =>
	call<AlertRule>('alert_rule_save', { p_id: id, p_rule: fields }, as);

export const deleteAlertRule = (as: CallerUser, id: string) =>
	call<{ id: string; deleted: boolean }>('alert_rule_delete', { p_id: id }, as);

/** E-mail delivery counts for the admin (no addresses). */
export const alertDeliveryStats = (as: CallerUser) =>
	call<{
		by_status: Record<string, number>;
		last_error: string | null;
		last_sent_at: string | null;
	}>('alert_delivery_stats', {}, as);

/**
 * Keeps the language a user chose in the app (public.user_preferences), so that e-mails sent
 * while they are away (alerts, headcounts) are written in it.
 */
export const setMyLocale = (as: CallerUser, locale: string) =>
	call<string>('my_locale_set', { p_locale: locale }, as);
