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
	kind:
		| 'movement_overdue'
		| 'authorisation_expiring'
		| 'incident_rule'
		| 'headcount'
		| 'contingency_trigger'
		| 'area_level_rule'
		| 'checkpoint_rule'
		| 'other';
	severity: 'info' | 'warning' | 'critical';
	title: string;
	body: Record<string, unknown>;
	movement_id: string | null;
	created_at: string;
	/** Raised by an alert rule: the rule, and the incidents this reader may read (newest first). */
	rule_id?: string | null;
	incidents?: AlertIncident[] | null;
	incident_count?: number | null;
	ack: {
		disposition: AlertDisposition;
		note: string;
		snoozed_until: string | null;
		acked_at: string;
	} | null;
}

export interface AlertIncident {
	id: string;
	event_date: string;
	event_type: string;
	fatalities: number | null;
	serious: boolean;
	affects_ngos: boolean;
	affects_us: boolean;
	status: string;
}

export const ALERT_RULE_TARGETS = ['sites', 'movements', 'areas'] as const;
export const ALERT_RULE_SERIOUSNESS = ['any', 'ngo', 'serious'] as const;
/** What a rule listens to (57_alerts.sql listens_to), and what each kind may watch. */
export const ALERT_RULE_LISTENS = ['incidents', 'area_level', 'checkpoint_status'] as const;
export const ALERT_RULE_TARGETS_FOR: Record<
	(typeof ALERT_RULE_LISTENS)[number],
	readonly (typeof ALERT_RULE_TARGETS)[number][]
> = {
	incidents: ALERT_RULE_TARGETS,
	area_level: ['areas'],
	checkpoint_status: ['sites', 'areas']
};
export const CHECKPOINT_STATUSES = ['open', 'restricted', 'closed'] as const;
