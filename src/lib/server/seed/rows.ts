/**
 * The row shapes the SQL loaders in supabase/migrations/20261122000600_seed_loaders.sql accept.
 * The TypeScript side only parses files and maps records to these; placement in admin areas,
 * actor links and upserts happen in SQL.
 */

// One list of event types for the whole app.
import type { EventType } from '../../domain/taxonomy.ts';
export { EVENT_TYPES, type EventType } from '../../domain/taxonomy.ts';

export const TIME_PRECISIONS = ['exact', 'day', 'week', 'month', 'year'] as const;
export type TimePrecision = (typeof TIME_PRECISIONS)[number];

/** How deep a point may be placed: 3 sub-district … 1 governorate, 0 no admin area at all. */
export type AdminDepth = 0 | 1 | 2 | 3;

export interface AreaRow {
	pcode: string;
	level: 1 | 2 | 3;
	name_en: string;
	name_ar: string | null;
	parent_pcode: string | null;
	geometry: unknown;
}

export interface ActorRow {
	name: string;
	actor_type: 'state_forces' | 'armed_group' | 'militia' | 'civilians' | 'unknown';
	notes?: string;
}

export interface IncidentRow {
	upstream_id: string;
	event_date: string;
	time_precision: TimePrecision;
	event_type: EventType;
	sub_event_type: string | null;
	actor1: string | null;
	actor2: string | null;
	lon: number;
	lat: number;
	geo_precision: 1 | 2 | 3;
	admin_depth: AdminDepth;
	location_name: string | null;
	fatalities: number;
	notes: string;
	source: string;
	status: 'reported' | 'verified' | 'rejected' | 'archived';
	confidentiality: 'public' | 'internal' | 'restricted';
	is_sample: boolean;
	affects_ngos?: boolean;
	source_reliability?: 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
	info_credibility?: 1 | 2 | 3 | 4 | 5 | 6;
}

interface SiteBase {
	upstream_id: string;
	lon: number;
	lat: number;
	notes: string;
	source: string;
	is_sample: boolean;
}

export interface HealthFacilityRow extends SiteBase {
	name: string;
	name_ar: string | null;
	facility_type: 'hospital' | 'phcc' | 'mobile_clinic_stop' | 'clinic' | 'other';
}

export interface CampRow extends SiteBase {
	name: string;
	name_ar: string | null;
	camp_type: 'idp' | 'refugee' | 'mixed' | 'transit';
	status: 'open' | 'planned' | 'under_construction' | 'closed';
	population: number | null;
	households: number | null;
	managing_org: string | null;
	population_date: string | null;
}

export interface CheckpointRow extends SiteBase {
	name: string;
	name_ar: string | null;
	controlled_by: string;
	status: 'open' | 'restricted' | 'closed';
	last_verified_at: string | null;
	road: string;
}

export interface OrgSiteRow extends SiteBase {
	name: string;
	site_type: 'office' | 'base' | 'guesthouse' | 'warehouse' | 'hibernation_site' | 'assembly_point';
}

/** Splits rows into batches of at most `size` (the loaders take one jsonb array per call). */
export function batches<T>(rows: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1)
		throw new Error(`batch size must be a positive integer (got ${size})`);
	const out: T[][] = [];
	for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
	return out;
}

/** True when the text contains Arabic script (OSM names here are often Arabic only). */
export function hasArabic(s: string | null | undefined): boolean {
	return !!s && /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/.test(s);
}
