/** Alerts: the shapes shared by the server, the API and the pages (public.alerts). */
export const ALERT_DISPOSITIONS = [
	'relevant_no_impact',
	'some_impact',
	'significant_impact',
	'not_relevant',
	'duplicate'
] as const;
export type AlertDisposition = (typeof ALERT_DISPOSITIONS)[number];

export interface Alert {
	id: string;
	kind: 'movement_overdue' | 'authorisation_expiring' | 'incident_rule' | 'other';
	severity: 'info' | 'warning' | 'critical';
	title: string;
	body: Record<string, unknown>;
	movement_id: string | null;
	created_at: string;
	ack: {
		disposition: AlertDisposition;
		note: string;
		snoozed_until: string | null;
		acked_at: string;
	} | null;
}
