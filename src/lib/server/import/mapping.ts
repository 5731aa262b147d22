/**
 * Which column of a file feeds which field: the presets for ACLED, UCDP GED and Terrain's own
 * export, HXL hashtags (any HXL-tagged file), and, for everything else, a guess from the column
 * names (English and Arabic) that the user confirms or corrects in the mapping step
 * (`--map FIELD=COLUMN` in the CLI).
 */
import {
	FIELDS,
	LOCATION_FIELDS,
	REQUIRED,
	fieldNames,
	type Mapping,
	type Transform
} from './fields.ts';
import { ImportError, type ImportFormat, type ImportTarget } from './types.ts';

const norm = (s: string) =>
	s
		.toLowerCase()
		.normalize('NFKC')
		.replace(/[\s_\-./()]+/g, '');

/** A file's columns for a message: a short preview, never the file's content echoed back. */
export function columnList(columns: string[]): string {
	const shown = columns.slice(0, 25).map((c) => (c.length > 40 ? `${c.slice(0, 40)}…` : c));
	return shown.join(', ') + (columns.length > 25 ? `, … (${columns.length} columns)` : '');
}

function find(columns: string[], name: string): string | undefined {
	const n = norm(name);
	return columns.find((c) => norm(c) === n);
}

// ------------------------------------------------------------------------------------------------
// Presets

type Preset = Record<string, string | [string, Transform]>;

/** ACLED's export columns (https://acleddata.com codebook). */
const ACLED: Preset = {
	upstream_id: 'event_id_cnty',
	event_date: 'event_date',
	time_precision: ['time_precision', 'acled_time_precision'],
	event_type: 'event_type',
	sub_event_type: 'sub_event_type',
	actor1: 'actor1',
	actor2: 'actor2',
	lat: 'latitude',
	lon: 'longitude',
	geo_precision: 'geo_precision',
	admin1: 'admin1',
	admin2: 'admin2',
	admin3: 'admin3',
	location_name: 'location',
	fatalities: 'fatalities',
	notes: 'notes',
	source: 'source',
	source_scale: 'source_scale'
};
const ACLED_REQUIRED = ['event_id_cnty', 'event_date', 'event_type', 'latitude', 'longitude'];

/** UCDP GED as HDX publishes it; mapped as the demo loader maps it (supabase/seed/README.md). */
const UCDP: Preset = {
	upstream_id: 'id',
	event_date: 'date_start',
	time_precision: ['date_prec', 'ucdp_date_prec'],
	event_type: ['type_of_violence', 'ucdp_violence'],
	actor1: 'side_a',
	actor2: 'side_b',
	lat: 'latitude',
	lon: 'longitude',
	geo_precision: ['where_prec', 'ucdp_where_prec'],
	location_name: 'where_coordinates',
	admin1: 'adm_1',
	fatalities: 'best',
	notes: 'source_headline',
	source: 'source_original'
};
const UCDP_REQUIRED = [
	'id',
	'type_of_violence',
	'date_start',
	'date_prec',
	'latitude',
	'longitude',
	'best'
];

/** Columns of Terrain's own CSV/XLSX export (src/lib/server/export): field names as they are. */
const TERRAIN_MARKERS = [
	'upstream_source',
	'upstream_id',
	'event_type',
	'event_date',
	'lat',
	'lon',
	'confidentiality'
];

function fromPreset(columns: string[], preset: Preset): Mapping {
	const m: Mapping = {};
	for (const [field, spec] of Object.entries(preset)) {
		const [col, transform] = Array.isArray(spec) ? spec : [spec, undefined];
		const c = find(columns, col);
		if (c) m[field] = transform ? { column: c, transform } : { column: c };
	}
	return m;
}

function requireColumns(columns: string[], needed: string[], what: string): void {
	const missing = needed.filter((c) => !find(columns, c));
	if (missing.length) {
		const hint =
			columns.length === 1
				? ` The header was read as one column ("${columns[0].slice(0, 60)}"): is the delimiter right?`
				: '';
		throw new ImportError(
			`missing required ${what} column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.${hint}`,
			{
				row: 1,
				column: missing[0]
			}
		);
	}
}

// ------------------------------------------------------------------------------------------------
// HXL: a rule matches a column when the hashtag is the same and the column has every attribute
// the rule lists (+attr) and none it excludes (-attr), as HXL tag patterns do.

function hxlMatches(pattern: string, tag: string): boolean {
	const [pName, ...pParts] = pattern.toLowerCase().split(/(?=[+-])/);
	const [tName, ...tAttrs] = tag.toLowerCase().replace(/\s+/g, '').split('+');
	if (pName !== tName) return false;
	for (const p of pParts) {
		const attr = p.slice(1);
		if (p.startsWith('+') && !tAttrs.includes(attr)) return false;
		if (p.startsWith('-') && tAttrs.includes(attr)) return false;
	}
	return true;
}

const HXL_INCIDENTS: [string, string[]][] = [
	['upstream_id', ['#event+id', '#event+code', '#meta+id']],
	['event_date', ['#date+occurred', '#date+start', '#date+event', '#date-year-end-reported']],
	['event_type', ['#event+type-sub', '#event+category-sub', '#event-sub-id-code']],
	['sub_event_type', ['#event+type+sub', '#event+subtype', '#event+category+sub']],
	['actor1', ['#group+name+first', '#actor+first', '#group+first', '#actor-second']],
	['actor2', ['#group+name+second', '#actor+second', '#group+second']],
	['lat', ['#geo+lat']],
	['lon', ['#geo+lon']],
	['coordinates', ['#geo+coord']],
	['admin_pcode', ['#adm3+code', '#adm2+code', '#adm1+code']],
	['admin1', ['#adm1+name', '#adm1-code']],
	['admin2', ['#adm2+name', '#adm2-code']],
	['admin3', ['#adm3+name', '#adm3-code']],
	['location_name', ['#loc+name', '#loc-code']],
	['fatalities', ['#affected+killed', '#affected+dead', '#affected+deaths']],
	['injuries', ['#affected+injured', '#affected+wounded']],
	['abductions', ['#affected+abducted', '#affected+kidnapped']],
	['notes', ['#description', '#event+description', '#meta+description']],
	['source', ['#meta+source', '#source']]
];
const HXL_SITES: [string, string[]][] = [
	['upstream_id', ['#loc+code', '#loc+id', '#site+code', '#meta+id']],
	['name', ['#loc+name-ar-code', '#site+name', '#loc-code-type']],
	['name_ar', ['#loc+name+ar', '#loc+name+i_ar']],
	['lat', ['#geo+lat']],
	['lon', ['#geo+lon']],
	['coordinates', ['#geo+coord']],
	['admin_pcode', ['#adm3+code', '#adm2+code', '#adm1+code']],
	['admin1', ['#adm1+name', '#adm1-code']],
	['admin2', ['#adm2+name', '#adm2-code']],
	['admin3', ['#adm3+name', '#adm3-code']],
	[
		'population',
		['#affected+idps+ind', '#population', '#affected+ind', '#affected+idps', '#inneed+ind']
	],
	['households', ['#affected+hh', '#affected+idps+hh', '#households']],
	['managing_org', ['#org+name', '#org+impl', '#org']],
	['status', ['#status']],
	['facility_type', ['#loc+type', '#site+type']],
	['camp_type', ['#loc+type', '#site+type']],
	['site_type', ['#loc+type', '#site+type']],
	['controlled_by', ['#group+name', '#org+control']],
	['population_date', ['#date+reported', '#date']],
	['notes', ['#description', '#meta+description']],
	['source', ['#meta+source', '#source']]
];

export function hxlMapping(target: ImportTarget, hxl: Record<string, string>): Mapping {
	const rules = target === 'incidents' ? HXL_INCIDENTS : HXL_SITES;
	const allowed = new Set(fieldNames(target));
	const m: Mapping = {};
	const used = new Set<string>();
	for (const [field, patterns] of rules) {
		if (!allowed.has(field) || m[field]) continue;
		for (const p of patterns) {
			const col = Object.keys(hxl).find((c) => !used.has(c) && hxlMatches(p, hxl[c]));
			if (col) {
				m[field] = { column: col };
				used.add(col);
				break;
			}
		}
	}
	return m;
}

// ------------------------------------------------------------------------------------------------
// Guessing from column names.

const SYNONYMS: Record<string, string[]> = {
	upstream_id: [
		'upstream_id',
		'id',
		'event_id',
		'eventid',
		'incident_id',
		'event_id_cnty',
		'reference',
		'ref',
		'code',
		'site_id',
		'camp_id',
		'facility_id',
		'fid',
		'osm_id',
		'pcode_site',
		'location_id',
		'record_id',
		'incident_number',
		'incident_no',
		'event_no',
		'case_id',
		'report_id',
		'unique_id',
		'uid',
		'المعرف'
	],
	upstream_source: ['upstream_source'],
	event_date: [
		'event_date',
		'date',
		'incident_date',
		'date_of_incident',
		'occurred',
		'date_occurred',
		'when',
		'timestamp',
		'التاريخ',
		'تاريخ'
	],
	event_time: ['event_time', 'time', 'incident_time', 'الوقت'],
	time_precision: ['time_precision', 'date_precision'],
	event_type: ['event_type', 'type', 'incident_type', 'category', 'نوع_الحادث', 'النوع'],
	sub_event_type: ['sub_event_type', 'subtype', 'sub_type', 'sub_category', 'subcategory'],
	actor1: ['actor1', 'actor_1', 'actor', 'perpetrator', 'side_a', 'الجهة'],
	actor2: ['actor2', 'actor_2', 'target', 'side_b'],
	lat: ['lat', 'latitude', 'y', 'lat_dd', 'gps_latitude', 'خط_العرض'],
	lon: ['lon', 'lng', 'long', 'longitude', 'x', 'lon_dd', 'gps_longitude', 'خط_الطول'],
	coordinates: [
		'coordinates',
		'coords',
		'coordinate',
		'location_coordinates',
		'gps',
		'mgrs',
		'position',
		'الإحداثيات'
	],
	admin_pcode: [
		'admin_pcode',
		'pcode',
		'p_code',
		'adm3_pcode',
		'admin3pcode',
		'adm2_pcode',
		'admin2pcode',
		'adm1_pcode',
		'admin1pcode'
	],
	admin1: ['admin1', 'adm1', 'adm1_name', 'governorate', 'province', 'region', 'state', 'المحافظة'],
	admin2: ['admin2', 'adm2', 'adm2_name', 'district', 'qada', 'القضاء'],
	admin3: ['admin3', 'adm3', 'adm3_name', 'subdistrict', 'sub_district', 'nahia', 'الناحية'],
	geo_precision: ['geo_precision', 'location_precision'],
	location_name: [
		'location_name',
		'location',
		'place',
		'village',
		'town',
		'locality',
		'الموقع',
		'المكان'
	],
	fatalities: ['fatalities', 'killed', 'deaths', 'dead', 'death', 'kia', 'القتلى'],
	injuries: ['injuries', 'injured', 'wounded', 'الجرحى'],
	abductions: ['abductions', 'abducted', 'kidnapped', 'kidnappings', 'المختطفين'],
	notes: [
		'notes',
		'description',
		'details',
		'summary',
		'narrative',
		'comments',
		'remarks',
		'الوصف',
		'ملاحظات'
	],
	source: ['source', 'sources', 'information_source', 'المصدر'],
	source_scale: ['source_scale'],
	affects_us: ['affects_us', 'affects_our_organisation', 'affects_organisation'],
	affects_ngos: ['affects_ngos', 'ngo_affected', 'affects_other_ngos'],
	serious: ['serious', 'serious_incident'],
	ops_impact: ['ops_impact', 'impact', 'operational_impact'],
	source_reliability: ['source_reliability', 'reliability'],
	info_credibility: ['info_credibility', 'credibility'],
	confidentiality: ['confidentiality', 'classification'],
	status: ['status', 'verification_status', 'الحالة'],
	name: [
		'name',
		'site_name',
		'camp_name',
		'facility_name',
		'location_name',
		'actor',
		'actor_name',
		'stakeholder',
		'organisation',
		'organization',
		'title',
		'الاسم'
	],
	name_ar: ['name_ar', 'name_arabic', 'arabic_name', 'name:ar', 'الاسم_بالعربية'],
	facility_type: ['facility_type', 'type', 'amenity', 'healthcare'],
	services: ['services', 'service'],
	supported: ['supported', 'supported_by_us'],
	camp_type: ['camp_type', 'type'],
	population: ['population', 'individuals', 'ind', 'idps', 'persons', 'pop', 'السكان'],
	households: ['households', 'hh', 'families', 'العوائل'],
	managing_org: [
		'managing_org',
		'managing_organisation',
		'managing_organization',
		'camp_manager',
		'cccm_agency',
		'managing_agency',
		'management',
		'managed_by',
		'agency'
	],
	population_date: ['population_date', 'date', 'as_of'],
	// DTM master lists: IDP individuals by shelter type.
	shelter_host_family: ['host_family', 'host_families', 'host_community', 'with_host_families'],
	shelter_rented: [
		'rented',
		'rented_house',
		'rented_houses',
		'rented_housing',
		'rented_accommodation'
	],
	shelter_informal_settlement: ['informal_settlement', 'informal_settlements', 'informal_sites'],
	shelter_unfinished_building: [
		'unfinished_building',
		'unfinished_buildings',
		'unfinished_abandoned_building',
		'abandoned_building'
	],
	shelter_school_or_religious: [
		'school_or_religious',
		'school_religious_building',
		'school_building',
		'religious_building'
	],
	shelter_other: ['other_shelter', 'other_shelter_type', 'shelter_other'],
	controlled_by: ['controlled_by', 'control', 'controlling_actor', 'controlling_force'],
	last_verified_at: ['last_verified_at', 'last_verified', 'verified_on'],
	road: ['road', 'route'],
	site_type: ['site_type', 'type'],
	actor_type: ['actor_type', 'type', 'category', 'actor_category', 'kind', 'النوع'],
	aliases: ['aliases', 'alias', 'other_names', 'also_known_as', 'aka', 'أسماء_أخرى'],
	stance: ['stance', 'attitude', 'stance_towards_us', 'position', 'الموقف'],
	influence: ['influence', 'power', 'التأثير'],
	interest: ['interest', 'الاهتمام'],
	hq_lat: ['hq_lat', 'hq_latitude', 'lat', 'latitude'],
	hq_lon: ['hq_lon', 'hq_lng', 'hq_longitude', 'lon', 'lng', 'longitude'],
	sources: ['sources', 'source', 'المصدر']
};

export function guessMapping(target: ImportTarget, columns: string[]): Mapping {
	const m: Mapping = {};
	const used = new Set<string>();
	for (const f of FIELDS[target]) {
		for (const syn of SYNONYMS[f.name] ?? [f.name]) {
			const col = columns.find((c) => !used.has(c) && norm(c) === norm(syn));
			if (col) {
				m[f.name] = { column: col };
				used.add(col);
				break;
			}
		}
	}
	return m;
}

// ------------------------------------------------------------------------------------------------

export type Preset_ = 'acled' | 'ucdp' | 'terrain' | 'hxl' | 'columns';

/** Which way of mapping fits this file (for a format given as csv/xlsx/geojson/kml/kmz). */
export function detectPreset(
	target: ImportTarget,
	columns: string[],
	hxl: Record<string, string> | null
): Preset_ {
	if (target === 'incidents') {
		if (UCDP_REQUIRED.every((c) => find(columns, c)) && find(columns, 'where_prec')) return 'ucdp';
		if (find(columns, 'event_id_cnty') && find(columns, 'event_type')) return 'acled';
	}
	if (
		TERRAIN_MARKERS.slice(0, 2).every((c) => find(columns, c)) &&
		(target !== 'incidents' || TERRAIN_MARKERS.every((c) => find(columns, c)))
	)
		return 'terrain';
	if (hxl && Object.keys(hxl).length) return 'hxl';
	return 'columns';
}

export interface ResolvedMapping {
	preset: Preset_;
	mapping: Mapping;
	/** Our default upstream source name for this kind of file. */
	source?: string;
	/**
	 * The fields whose column the user's choices actually changed. The import page sends back the
	 * whole mapping it was shown; a field mapped to the column the preset already uses is no
	 * change, keeps the preset's value translation (ACLED's and UCDP's codes), and so a dry run
	 * that passed commits identically.
	 */
	changed: string[];
}

/**
 * The mapping for a file: the preset of the format asked for (or detected), then the user's
 * explicit FIELD=COLUMN choices on top. Throws an ImportError when a required column is missing.
 */
export function resolveMapping(
	target: ImportTarget,
	format: ImportFormat | undefined,
	columns: string[],
	hxl: Record<string, string> | null,
	user: Record<string, string | null> = {},
	hasGeometry = false
): ResolvedMapping {
	const preset: Preset_ =
		format === 'acled'
			? 'acled'
			: format === 'ucdp'
				? 'ucdp'
				: format === 'hxl'
					? 'hxl'
					: format === 'terrain'
						? 'terrain'
						: detectPreset(target, columns, hxl);
	let mapping: Mapping;
	let source: string | undefined;
	if (preset === 'acled') {
		if (target !== 'incidents')
			throw new ImportError('ACLED files hold incidents: import them --into incidents');
		requireColumns(columns, ACLED_REQUIRED, 'ACLED');
		mapping = fromPreset(columns, ACLED);
		source = 'acled';
	} else if (preset === 'ucdp') {
		if (target !== 'incidents')
			throw new ImportError('UCDP GED files hold incidents: import them --into incidents');
		requireColumns(columns, UCDP_REQUIRED, 'UCDP GED');
		mapping = fromPreset(columns, UCDP);
		source = 'ucdp-ged';
	} else if (preset === 'hxl') {
		if (!hxl)
			throw new ImportError(
				'the file has no HXL hashtag row (a second row of #tags under the header)',
				{ row: 2 }
			);
		mapping = { ...guessMapping(target, columns), ...hxlMapping(target, hxl) };
	} else if (preset === 'terrain') {
		mapping = {};
		for (const f of fieldNames(target)) {
			const c = find(columns, f);
			if (c) mapping[f] = { column: c };
		}
	} else {
		mapping = guessMapping(target, columns);
	}

	const known = new Set(fieldNames(target));
	const before = { ...mapping };
	for (const [field, column] of Object.entries(user)) {
		if (!known.has(field)) {
			throw new ImportError(
				`the mapping names a field "${field.slice(0, 40)}" that ${target} does not have; fields: ${fieldNames(target).join(', ')}`
			);
		}
		if (column === null || column === '') {
			delete mapping[field];
			continue;
		}
		const c = find(columns, column);
		if (!c)
			throw new ImportError(
				`the mapping takes ${field} from a column "${column.slice(0, 40)}" that the file does not have; columns: ${columnList(columns)}`,
				{ row: 1 }
			);
		// The same column as the preset's keeps the preset's translation of its values.
		mapping[field] = before[field]?.column === c ? before[field] : { column: c };
	}
	const changed = [...new Set([...Object.keys(before), ...Object.keys(mapping)])].filter(
		(f) => before[f]?.column !== mapping[f]?.column
	);

	const missing = REQUIRED[target].filter((f) => !mapping[f]);
	if (missing.length) {
		const hint =
			columns.length === 1 && /[:^~#!]/.test(columns[0])
				? ' The header was read as one column: is the delimiter right? (comma, semicolon, tab and pipe are recognised)'
				: '';
		throw new ImportError(
			`no column for ${missing.join(', ')}: choose the column that holds ${missing.length > 1 ? 'them' : 'it'} in the column mapping (columns: ${columnList(columns)}).${hint}`,
			{ row: 1 }
		);
	}
	if ((mapping.hq_lat && !mapping.hq_lon) || (mapping.hq_lon && !mapping.hq_lat)) {
		throw new ImportError(
			`the headquarters' latitude and longitude come together: map both (found only ${mapping.hq_lat ? 'hq_lat' : 'hq_lon'})`,
			{ row: 1 }
		);
	}
	if (target !== 'actors' && !hasGeometry && !LOCATION_FIELDS.some((f) => mapping[f])) {
		throw new ImportError(
			`no location column: choose the columns of latitude and longitude, of coordinates, of a P-code or of admin area names in the column mapping (columns: ${columnList(columns)})`,
			{ row: 1 }
		);
	}
	if ((mapping.lat && !mapping.lon) || (mapping.lon && !mapping.lat)) {
		throw new ImportError(
			`latitude and longitude come together: map both (found only ${mapping.lat ? 'lat' : 'lon'})`,
			{ row: 1 }
		);
	}
	return { preset, mapping, source, changed };
}

/** The mapping as plain FIELD → COLUMN, for saving and for the UI. */
export function mappingColumns(m: Mapping): Record<string, string> {
	return Object.fromEntries(Object.entries(m).map(([f, r]) => [f, r.column]));
}
