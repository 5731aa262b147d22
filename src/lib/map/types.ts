// The shapes the map reads from /api/v1 (the SQL functions' results as they are).
import type { EventType, SiteKind } from '../domain/taxonomy.ts';
import type { Bbox } from './scales.ts';

/** What the map reports when it has moved. */
export interface ViewChange {
	zoom: number;
	center: [number, number];
	/** The visible area: west, south, east, north. */
	bbox: Bbox;
}

/** A raw pointer event on the map while drawing (MapView's onmapclick). */
export interface MapPointer {
	type: 'click' | 'dblclick' | 'move';
	lngLat: [number, number];
	/** Pixels from the map's top-left corner. */
	point: [number, number];
	zoom: number;
}

/**
 * [id, lon, lat, event_type, fatalities, serious, event_date] — compact rows from incidents_map()
 * (serious and the date colour points by seriousness or recency: $lib/map/point-style.ts).
 */
export type IncidentPoint = [
	id: string,
	lon: number,
	lat: number,
	eventType: EventType,
	fatalities: number,
	serious?: boolean,
	eventDate?: string
];

export interface IncidentsResponse {
	total: number;
	fatalities: number;
	by_type: Partial<Record<EventType, number>>;
	points: IncidentPoint[];
}

/** [lon, lat, count, fatalities] — one grid cell from incidents_density(). */
export type DensityCell = [lon: number, lat: number, count: number, fatalities: number];

export interface PointGeometry {
	type: 'Point';
	coordinates: [number, number];
}

export interface Feature<P = Record<string, unknown>, G = PointGeometry> {
	type: 'Feature';
	id?: string;
	geometry: G;
	properties: P;
}

export interface FeatureCollection<P = Record<string, unknown>, G = PointGeometry> {
	type: 'FeatureCollection';
	features: Feature<P, G>[];
}

export interface SiteProperties {
	id: string;
	name: string;
	name_ar?: string | null;
	is_sample?: boolean;
	[key: string]: unknown;
}
export type SiteFeature = Feature<SiteProperties>;
export type SiteCollection = FeatureCollection<SiteProperties>;
export type SitesByKind = Partial<Record<SiteKind, SiteCollection>>;

export interface AreaProperties {
	pcode: string;
	level: number;
	name_en: string;
	name_ar: string | null;
	parent_pcode: string | null;
	label_lon: number;
	label_lat: number;
}
export type AreaCollection = FeatureCollection<
	AreaProperties,
	{ type: string; coordinates: unknown }
>;

/** One incident as incident_get() returns it, for the details panel. */
export interface IncidentDetail {
	id: string;
	event_date: string;
	event_time?: string | null;
	time_precision?: string;
	event_type: EventType;
	sub_event_type?: string | null;
	actor1?: string | null;
	actor2?: string | null;
	fatalities: number;
	injuries?: number | null;
	abductions?: number | null;
	notes?: string;
	source?: string | null;
	source_scale?: string | null;
	admin1_name?: string | null;
	admin1_name_ar?: string | null;
	admin2_name?: string | null;
	admin2_name_ar?: string | null;
	admin3_name?: string | null;
	admin3_name_ar?: string | null;
	location_name?: string | null;
	geo_precision?: number;
	status?: string;
	is_sample?: boolean;
	lon: number;
	lat: number;
	[key: string]: unknown;
}
