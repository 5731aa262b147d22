/**
 * What can be imported into each target: its fields, of which kind each is (how its cells are
 * read), which are required, and which place a row. How a record becomes a row: ./map-record.ts.
 */
import { EVENT_TYPES } from '../../domain/taxonomy.ts';
import { ACTOR_TYPES, STANCES } from '../../domain/actors.ts';
import {
	CONFIDENTIALITY,
	OPS_IMPACT,
	SOURCE_RELIABILITY,
	TIME_PRECISIONS
} from '../../domain/incident-schema.ts';
import type { ImportTarget } from './types.ts';
import { SHELTER_TYPES } from '../../domain/registries.ts';

export type Kind =
	| 'id'
	| 'text'
	| 'date'
	| 'time'
	| 'count'
	| 'bool'
	| 'event_type'
	| 'sub_event_type'
	| 'enum'
	| 'lat'
	| 'lon'
	| 'coordinates'
	| 'pcode'
	| 'list'
	| 'timestamp'
	| 'int';

export interface FieldDef {
	name: string;
	kind: Kind;
	values?: readonly string[];
	max?: number;
}

/** Code tables of particular sources, applied to a mapped column. */
export type Transform =
	'acled_time_precision' | 'ucdp_date_prec' | 'ucdp_where_prec' | 'ucdp_violence';

export interface ColumnRef {
	column: string;
	transform?: Transform;
}
export type Mapping = Record<string, ColumnRef>;

const LOCATION: FieldDef[] = [
	{ name: 'lat', kind: 'lat' },
	{ name: 'lon', kind: 'lon' },
	{ name: 'coordinates', kind: 'coordinates' },
	{ name: 'admin_pcode', kind: 'pcode' },
	{ name: 'admin1', kind: 'text', max: 200 },
	{ name: 'admin2', kind: 'text', max: 200 },
	{ name: 'admin3', kind: 'text', max: 200 }
];

const SITE_COMMON: FieldDef[] = [
	{ name: 'upstream_id', kind: 'id' },
	{ name: 'name', kind: 'text', max: 300 },
	...LOCATION,
	{ name: 'notes', kind: 'text', max: 20000 },
	{ name: 'source', kind: 'text', max: 500 }
];

export const FIELDS: Record<ImportTarget, FieldDef[]> = {
	incidents: [
		{ name: 'upstream_id', kind: 'id' },
		{ name: 'upstream_source', kind: 'id' },
		{ name: 'event_date', kind: 'date' },
		{ name: 'event_time', kind: 'time' },
		{ name: 'time_precision', kind: 'enum', values: TIME_PRECISIONS },
		{ name: 'event_type', kind: 'event_type' },
		{ name: 'sub_event_type', kind: 'sub_event_type' },
		{ name: 'actor1', kind: 'text', max: 200 },
		{ name: 'actor2', kind: 'text', max: 200 },
		...LOCATION,
		{ name: 'geo_precision', kind: 'int' },
		{ name: 'location_name', kind: 'text', max: 300 },
		{ name: 'fatalities', kind: 'count' },
		{ name: 'injuries', kind: 'count' },
		{ name: 'abductions', kind: 'count' },
		{ name: 'notes', kind: 'text', max: 20000 },
		{ name: 'source', kind: 'text', max: 2000 },
		{ name: 'source_scale', kind: 'text', max: 100 },
		{ name: 'affects_us', kind: 'bool' },
		{ name: 'affects_ngos', kind: 'bool' },
		{ name: 'serious', kind: 'bool' },
		{ name: 'ops_impact', kind: 'enum', values: OPS_IMPACT },
		{ name: 'source_reliability', kind: 'enum', values: SOURCE_RELIABILITY },
		{ name: 'info_credibility', kind: 'int' },
		{ name: 'confidentiality', kind: 'enum', values: CONFIDENTIALITY },
		{ name: 'status', kind: 'enum', values: ['reported', 'verified', 'rejected', 'archived'] }
	],
	health_facilities: [
		...SITE_COMMON,
		{ name: 'name_ar', kind: 'text', max: 300 },
		{
			name: 'facility_type',
			kind: 'enum',
			values: ['hospital', 'phcc', 'mobile_clinic_stop', 'clinic', 'other']
		},
		{ name: 'services', kind: 'list' },
		{ name: 'supported', kind: 'bool' }
	],
	idp_camps: [
		...SITE_COMMON,
		{ name: 'name_ar', kind: 'text', max: 300 },
		{ name: 'camp_type', kind: 'enum', values: ['idp', 'refugee', 'mixed', 'transit'] },
		{ name: 'status', kind: 'enum', values: ['open', 'planned', 'under_construction', 'closed'] },
		{ name: 'population', kind: 'count' },
		{ name: 'households', kind: 'count' },
		{ name: 'managing_org', kind: 'text', max: 300 },
		{ name: 'population_date', kind: 'date' }
	],
	checkpoints: [
		...SITE_COMMON,
		{ name: 'name_ar', kind: 'text', max: 300 },
		{ name: 'controlled_by', kind: 'text', max: 300 },
		{ name: 'status', kind: 'enum', values: ['open', 'restricted', 'closed'] },
		{ name: 'last_verified_at', kind: 'timestamp' },
		{ name: 'road', kind: 'text', max: 300 }
	],
	org_sites: [
		...SITE_COMMON,
		{
			name: 'site_type',
			kind: 'enum',
			values: ['office', 'base', 'guesthouse', 'warehouse', 'hibernation_site', 'assembly_point']
		}
	],
	// IDPs outside camps, as in a DTM master list: the population, and people by shelter type
	// (one column per type, gathered into `shelter` by mapRecord).
	displacement_locations: [
		...SITE_COMMON,
		{ name: 'name_ar', kind: 'text', max: 300 },
		{ name: 'status', kind: 'enum', values: ['open', 'closed'] },
		{ name: 'population', kind: 'count' },
		{ name: 'households', kind: 'count' },
		{ name: 'population_date', kind: 'date' },
		...SHELTER_TYPES.map((t): FieldDef => ({ name: `shelter_${t}`, kind: 'count' }))
	],
	// An actor registry (a stakeholder mapping). Duplicates by name key — of actors already in
	// Terrain or of an earlier row — are found in SQL (20261122006000_actor_import.sql).
	actors: [
		{ name: 'name', kind: 'text', max: 200 },
		{ name: 'name_ar', kind: 'text', max: 200 },
		{ name: 'actor_type', kind: 'enum', values: ACTOR_TYPES },
		{ name: 'aliases', kind: 'list' },
		{ name: 'stance', kind: 'enum', values: STANCES },
		{ name: 'influence', kind: 'int' },
		{ name: 'interest', kind: 'int' },
		{ name: 'hq_lat', kind: 'lat' },
		{ name: 'hq_lon', kind: 'lon' },
		{ name: 'notes', kind: 'text', max: 20000 },
		{ name: 'sources', kind: 'list' }
	]
};

/** Fields a row cannot do without (the location is checked separately: point, P-code or names). */
export const REQUIRED: Record<ImportTarget, string[]> = {
	incidents: ['event_date', 'event_type'],
	health_facilities: ['name'],
	idp_camps: ['name'],
	checkpoints: ['name'],
	org_sites: ['name'],
	actors: ['name'],
	displacement_locations: ['name']
};

export const LOCATION_FIELDS = [
	'lat',
	'lon',
	'coordinates',
	'admin_pcode',
	'admin1',
	'admin2',
	'admin3'
];

export function fieldNames(target: ImportTarget): string[] {
	return FIELDS[target].map((f) => f.name);
}

export { EVENT_TYPES };
