/**
 * Guessing which column feeds which field from the column names (English and Arabic): what the
 * user confirms or corrects in the mapping step.
 */
import { FIELDS, type Mapping } from './fields.ts';
import type { ImportTarget } from './types.ts';

/** A column or field name compared loosely: case, width, spaces and punctuation do not count. */
export const norm = (s: string) =>
	s
		.toLowerCase()
		.normalize('NFKC')
		.replace(/[\s_\-./()]+/g, '');

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
