/**
 * Movements: the shapes shared by the server, the API and the pages. Route risk is computed in
 * SQL (public.route_risk); this module only checks a request before it gets there, so a script
 * author sees which field to fix.
 */
import { z } from 'zod';
import { zIsoDate } from './codes.ts';

const lonLat = z
	.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])
	.rest(z.number());

/** A GeoJSON line, or a Feature holding one; PostGIS checks validity and length. */
export const zRoute = z.union([
	z.object({ type: z.literal('LineString'), coordinates: z.array(lonLat).min(2).max(20000) }),
	z.object({
		type: z.literal('MultiLineString'),
		coordinates: z.array(z.array(lonLat).min(2)).min(1).max(1000)
	}),
	z
		.object({
			type: z.literal('Feature'),
			geometry: z.object({ type: z.enum(['LineString', 'MultiLineString']) }).passthrough()
		})
		.passthrough()
]);

const zStop = z.union([
	z.object({ type: z.literal('Point'), coordinates: lonLat, name: z.string().max(200).optional() }),
	z.object({
		lon: z.number().min(-180).max(180),
		lat: z.number().min(-90).max(90),
		name: z.string().max(200).optional()
	})
]);

export const zRouteRiskQuery = z
	.object({
		route: zRoute,
		corridor_km: z.number().gt(0).max(50).optional(),
		from: zIsoDate.optional(),
		to: zIsoDate.optional(),
		stops: z.array(zStop).max(50).optional(),
		stop_km: z.number().gt(0).max(50).optional(),
		list_limit: z.number().int().min(0).max(5000).optional(),
		/** the day of travel: area levels and no-go zones in force that day (default today) */
		on: zIsoDate.optional()
	})
	.refine((q) => !q.from || !q.to || q.from <= q.to, {
		message: 'must not be before from',
		path: ['to']
	});
export type RouteRiskQuery = z.infer<typeof zRouteRiskQuery>;

export type Recommendation = 'go' | 'conditions' | 'no_go';

export interface RouteRisk {
	route: { length_km: number; points: number };
	corridor_km: number;
	stop_km: number;
	from: string;
	to: string;
	on: string;
	incidents: {
		total: number;
		fatalities: number;
		by_type: Record<string, number>;
		by_seriousness: { affects_us: number; affects_ngos: number; serious: number; fatal: number };
		by_precision: { exact: number; near: number; area: number };
		list: RouteIncident[];
	};
	stops: {
		index: number;
		name: string | null;
		lon: number;
		lat: number;
		total: number;
		fatalities: number;
		serious: number;
		by_type: Record<string, number>;
	}[];
	checkpoints: RouteCheckpoint[];
	areas: RouteArea[];
	highest_level: number | null;
	no_go_zones: { id: string; name: string; reason: string }[];
	rules: Record<string, number>;
	recommendation: Recommendation;
	reasons: { rule: string; severity: 'no_go' | 'conditions'; message: string }[];
	/** A saved plan's risk (public.movement_risk): the access authorisations its team needs. */
	authorisations?: AuthorisationCheck;
}

export interface RouteIncident {
	id: string;
	event_date: string;
	event_type: string;
	sub_event_type: string | null;
	fatalities: number | null;
	location_name: string | null;
	affects_us: boolean;
	affects_ngos: boolean;
	serious: boolean;
	geo_precision: number;
	lon: number;
	lat: number;
	distance_m: number;
	along_km: number | null;
}

export interface RouteCheckpoint {
	id: string;
	name: string;
	name_ar: string | null;
	status: 'open' | 'restricted' | 'closed';
	controlled_by: string | null;
	last_verified_at: string | null;
	verified_days_ago: number | null;
	stale: boolean;
	lon: number;
	lat: number;
	distance_m: number;
	along_km: number | null;
}

export interface RouteArea {
	pcode: string;
	admin_level: number;
	name_en: string;
	name_ar: string | null;
	level: number | null;
	level_name: string | null;
	inherited: boolean | null;
	route_km: number;
}

export type AuthorisationStatus =
	'valid' | 'missing' | 'expired' | 'not_yet_valid' | 'expires_during';

/** What a movement's team needs (districts × team members and vehicles) and what covers it. */
export interface AuthorisationCheck {
	from: string;
	to: string;
	level: number;
	areas: { pcode: string; name_en: string; name_ar: string | null; level: number | null }[];
	items: {
		pcode: string;
		name_en: string;
		name_ar: string | null;
		level: number | null;
		holder_type: 'staff' | 'vehicle' | 'organisation';
		holder: string;
		status: AuthorisationStatus;
		authorisation: {
			id: string;
			kind: string;
			reference: string;
			issued_by: string;
			valid_from: string;
			valid_to: string;
			covered_as: string;
		} | null;
	}[];
	missing: number;
}
