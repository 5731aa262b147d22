/**
 * One incident as incident_get() returns it (the OpenAPI schema IncidentDetail): the row, its
 * position and the names of its areas. Typed JSON, shared by the pages and the server's verbs.
 */
import type { EventType } from './taxonomy';
import type { IncidentStatus } from './incident-schema';

export interface IncidentRecord {
	id: string;
	event_date: string;
	event_time: string | null;
	time_precision: string;
	event_type: EventType;
	sub_event_type: string | null;
	actor1: string | null;
	actor2: string | null;
	fatalities: number;
	injuries: number | null;
	abductions: number | null;
	affects_us: boolean;
	affects_ngos: boolean;
	serious: boolean;
	ops_impact: string | null;
	source: string | null;
	source_reliability: string | null;
	info_credibility: number | null;
	confidentiality: string;
	status: IncidentStatus;
	status_reason: string | null;
	merged_into: string | null;
	location_name: string | null;
	geo_precision: number;
	/** Shown coarsely to readers outside the need-to-know (location fuzzing). */
	sensitive_location: boolean;
	/** lon/lat are the coarse point (and geo_precision 3): the caller is not given the exact one. */
	location_fuzzed: boolean;
	upstream_source: string | null;
	upstream_id: string | null;
	notes: string | null;
	is_sample: boolean;
	lon: number;
	lat: number;
	admin1_name: string | null;
	admin1_name_ar: string | null;
	admin2_name: string | null;
	admin2_name_ar: string | null;
	admin3_name: string | null;
	admin3_name_ar: string | null;
	[key: string]: unknown;
}
