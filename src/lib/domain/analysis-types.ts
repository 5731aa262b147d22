/** The shapes the analysis SQL functions answer (see supabase/migrations/2026112200300*). */

export interface Covered {
	/** First and last event date among the counted incidents (null when none). */
	first_date: string | null;
	last_date: string | null;
}

export interface StatsBin {
	/** First day of the bin (ISO week: its Monday). */
	bin: string;
	/** Event type, P-code, 'none' (no area at that level) or 'all'. */
	key: string;
	n: number;
	/** null when none of the bin's incidents has a known fatality count */
	fatalities: number | null;
}

export interface StatsGroup {
	key: string;
	name_en: string | null;
	name_ar: string | null;
	n: number;
	/** null when none of the group's incidents has a known fatality count */
	fatalities: number | null;
}

export interface IncidentStats extends Covered {
	by: 'day' | 'week' | 'month';
	group: 'type' | 'area1' | 'area2' | 'none';
	total: number;
	fatalities: number;
	groups: StatsGroup[];
	bins: StatsBin[];
}

export interface AreaCount {
	pcode: string;
	name_en: string;
	name_ar: string | null;
	parent_pcode: string | null;
	n: number;
	fatalities: number;
}

export interface ByArea extends Covered {
	level: 1 | 2 | 3;
	total: number;
	fatalities: number;
	areas: AreaCount[];
	unassigned: { n: number; fatalities: number };
}

export interface Calendar extends Covered {
	total: number;
	fatalities: number;
	/** [date, incidents, fatalities] for each day with at least one incident. */
	days: [string, number, number][];
}

export interface TimePattern extends Covered {
	total: number;
	with_time: number;
	with_day: number;
	by_hour: number[];
	/** Monday first. */
	by_dow: number[];
	dow_hour: [number, number, number][];
}

export interface ActorCount {
	id: string;
	name: string;
	actor_type: string;
	n: number;
	as_actor1: number;
	as_actor2: number;
	fatalities: number;
}

export interface TopActors extends Covered {
	total: number;
	with_actor: number;
	actors: ActorCount[];
}

export interface SourceCount {
	/** upstream_source: 'ucdp-ged', 'synthetic', an import's name; null = reported in Terrain. */
	source: string | null;
	n: number;
	first_date: string;
	last_date: string;
}

export interface DateRange extends Covered {
	total: number;
}

export type Trend = 'rising' | 'stable' | 'falling';

export interface BaselineRow {
	pcode: string | null;
	level: number;
	name_en: string | null;
	name_ar: string | null;
	parent_pcode: string | null;
	baseline_n: number;
	weekly_average: number;
	week_n: number;
	week_expected: number;
	week_change_pct: number | null;
	week_trend: Trend;
	week_low_count: boolean;
	four_weeks_n: number;
	four_weeks_expected: number;
	four_weeks_change_pct: number | null;
	four_weeks_trend: Trend;
	four_weeks_low_count: boolean;
}

export interface Window {
	from: string;
	to: string;
}

export interface BaselineWindows {
	as_of: string;
	week: Window;
	four_weeks: Window;
	baseline: Window;
	rule: { baseline_weeks: number; band_pct: number; min_count: number };
}

export interface BaselineTable extends BaselineWindows {
	rows: BaselineRow[];
}

export interface AreaBaseline extends BaselineWindows {
	row: BaselineRow;
	weeks: { from: string; to: string; n: number }[];
}

export interface ProximityTarget {
	kind: string;
	id: string | null;
	name: string | null;
	n: number;
	fatalities: number;
}

export interface ProximityIncident {
	id: string;
	event_date: string;
	event_type: string;
	fatalities: number;
	location_name: string | null;
	lon: number;
	lat: number;
	distance_m: number;
	nearest_kind: string;
	nearest_id: string | null;
	nearest_name: string | null;
}

export interface Proximity {
	km: number;
	days: number;
	from: string;
	to: string;
	total: number;
	fatalities: number;
	targets: ProximityTarget[];
	incidents: ProximityIncident[];
}

export interface ScaleEntry {
	level: number;
	key: string;
	name: string;
	colour: string;
	movement: string;
}

export interface LevelRecord {
	id: string;
	pcode: string;
	level: number;
	level_name?: string;
	colour?: string;
	note: string;
	effective_date: string;
	recorded_by: string;
	recorded_by_name: string | null;
	recorded_at: string;
}

export interface CurrentLevel {
	pcode: string;
	area_level: number;
	name_en: string;
	name_ar: string | null;
	parent_pcode: string | null;
	level: number;
	level_name: string;
	colour: string;
	source_pcode: string;
	inherited: boolean;
	effective_date: string;
	note: string;
}

export interface SiteSummary {
	id: string;
	name: string;
	name_ar?: string | null;
	is_sample: boolean;
	lon: number;
	lat: number;
	[k: string]: unknown;
}

export interface AreaRef {
	pcode: string;
	level: number;
	name_en: string;
	name_ar: string | null;
}

export interface AreaProfile extends AreaRef {
	parent_pcode: string | null;
	bbox: [number, number, number, number];
	area_km2: number;
	ancestors: AreaRef[];
	children: AreaRef[];
	health_facilities: SiteSummary[];
	idp_camps: SiteSummary[];
	checkpoints: SiteSummary[];
	org_sites: SiteSummary[];
	current_level: CurrentLevel | null;
}

export interface AreaOption {
	pcode: string;
	level: number;
	name_en: string;
	name_ar: string | null;
	parent_pcode: string | null;
}
