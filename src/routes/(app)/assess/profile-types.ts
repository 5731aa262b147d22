// The profile as assessment_profile answers it (supabase/schemas/82_assessments.sql), the fields
// the page reads.
import type { Geometry } from 'geojson';
import type { CommunityProfile } from '$lib/domain/assessments';

export interface AssessProfile {
	as_of: string;
	area: {
		mode: string;
		/** The radius or corridor half-width of a buffered point or route (mode 'buffer'). */
		buffer_km?: number | null;
		area_km2: number;
		bbox: [number, number, number, number];
		geometry: Geometry;
	};
	incidents: {
		total: number;
		/** Absent from snapshots saved before 20261207100000. */
		counted_by?: 'area_pcode' | 'exact_location';
		coarser_not_counted?: { total: number; by_precision: Record<'1' | '2' | '3', number> };
		last_12_months: number;
		previous_12_months: number;
		by_type: Record<string, number>;
		by_type_12m: Record<string, number>;
		trend: { trend: string };
		baseline: { trend: string };
		monthly: { month: string; n: number }[];
		serious: { id: string; event_date: string; event_type: string; location_name: string | null }[];
		serious_total: number;
		top_actors: { id: string; name: string; n: number }[];
	};
	security_levels: {
		pcode: string;
		level_of_area: number;
		name_en: string;
		name_ar: string | null;
		current: { level: number } | null;
		history: { level: number; effective_date: string }[];
	}[];
	health_facilities: { count: number; supported: number };
	camps: { count: number; population: number };
	checkpoints: {
		id: string;
		name: string;
		status: string;
		controlled_by: string | null;
		stale_days: number | null;
	}[];
	org_sites: { id: string; name: string; site_type: string }[];
	actors: { id: string; name: string; actor_type: string; stance: string }[];
	contacts: {
		count: number;
		names: { id: string; full_name: string; role_title: string }[] | null;
	};
	population: { value: number; sources: string[] | null } | null;
	nearest: { hibernation_site: { km: number } | null; hospital: { km: number } | null };
	/** An area's community profile (the fields the compiled profile keeps), keyed by its area. */
	community: (Pick<
		CommunityProfile,
		'idps' | 'returnees' | 'composition' | 'marginalised_groups' | 'acceptance_issues' | 'languages'
	> & { pcode: string; name_en: string })[];
}
