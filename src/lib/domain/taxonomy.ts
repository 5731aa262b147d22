/** ACLED's six event types, as stored in incidents.event_type. */
export const EVENT_TYPES = [
	'battles',
	'violence_against_civilians',
	'explosions_remote_violence',
	'riots',
	'protests',
	'strategic_developments'
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Colour per event type (colour-blind-safe Okabe–Ito order), as [r, g, b]. */
export const EVENT_TYPE_COLOURS: Record<EventType, [number, number, number]> = {
	battles: [213, 94, 0],
	violence_against_civilians: [204, 121, 167],
	explosions_remote_violence: [230, 159, 0],
	riots: [0, 114, 178],
	protests: [86, 180, 233],
	strategic_developments: [0, 158, 115]
};

export const CHECKPOINT_STATUSES = ['open', 'restricted', 'closed'] as const;
export const CHECKPOINT_COLOURS: Record<
	(typeof CHECKPOINT_STATUSES)[number],
	[number, number, number]
> = {
	open: [0, 140, 70],
	restricted: [230, 159, 0],
	closed: [200, 30, 30]
};

export const SITE_KINDS = ['health_facilities', 'idp_camps', 'checkpoints', 'org_sites'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export const SITE_TYPES = [
	'office',
	'base',
	'guesthouse',
	'warehouse',
	'hibernation_site',
	'assembly_point'
] as const;
