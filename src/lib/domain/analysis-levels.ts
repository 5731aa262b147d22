/**
 * The security level scale of an area: five levels, each with a name, a colour and what it means
 * for movements. The same scale is stored in SQL (public.security_level_scale, for API clients and
 * reports); a unit test keeps the two in step. Names and meanings shown in the UI come from the
 * i18n catalogues (keys security_level.N.name / .movement), so they translate.
 *
 * Loosely follows the level systems NGO security teams use (INSO, UN SRM): the number says how
 * dangerous the area is, the movement rule says what staff may do there today.
 */
export const SECURITY_LEVELS = [1, 2, 3, 4, 5] as const;
export type SecurityLevel = (typeof SECURITY_LEVELS)[number];

export interface SecurityLevelInfo {
	level: SecurityLevel;
	key: 'low' | 'moderate' | 'substantial' | 'high' | 'extreme';
	/** English name (the SQL scale table holds the same). */
	name: string;
	/** Fill colour; `ink` is the text colour that reads on it (WCAG AA). */
	colour: string;
	ink: string;
	/** What the level means for movements, in English. */
	movement: string;
}

export const SECURITY_SCALE: readonly SecurityLevelInfo[] = [
	{
		level: 1,
		key: 'low',
		name: 'Low',
		colour: '#1b7837',
		ink: '#ffffff',
		movement: 'Normal programme movements; standard check-in and check-out.'
	},
	{
		level: 2,
		key: 'moderate',
		name: 'Moderate',
		colour: '#f6c141',
		ink: '#1d2521',
		movement:
			'Movements with routine precautions: daylight travel, route checked before leaving, communications on.'
	},
	{
		level: 3,
		key: 'substantial',
		name: 'Substantial',
		colour: '#e8601c',
		ink: '#1d2521',
		movement:
			'Essential movements only, approved by the security focal point; two vehicles; no overnight stays.'
	},
	{
		level: 4,
		key: 'high',
		name: 'High',
		colour: '#b2182b',
		ink: '#ffffff',
		movement:
			'Movements suspended except life-saving ones approved by the head of mission; hibernation ready.'
	},
	{
		level: 5,
		key: 'extreme',
		name: 'Extreme',
		colour: '#40004b',
		ink: '#ffffff',
		movement: 'No movement. Hibernate, relocate or evacuate staff as the contingency plan says.'
	}
];

export function levelInfo(level: number): SecurityLevelInfo | undefined {
	return SECURITY_SCALE.find((l) => l.level === level);
}

export function isSecurityLevel(v: unknown): v is SecurityLevel {
	return typeof v === 'number' && (SECURITY_LEVELS as readonly number[]).includes(v);
}

/** Longest assessment note accepted (a short note, not a report). */
export const LEVEL_NOTE_MAX = 2000;
