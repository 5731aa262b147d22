/**
 * Contingency plans (issue 11): each base's hibernation, relocation and evacuation plans, with
 * their versions. One SQL function per verb, run as the caller (58_headcounts_contingency.sql).
 */
import { z } from 'zod';
import { call } from '../analysis/index.ts';
import type { CallerUser } from '../db/types.ts';

export const PLAN_KINDS = ['hibernation', 'relocation', 'evacuation'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];
export const SITE_ROLES = ['hibernation_site', 'assembly_point', 'safe_haven'] as const;

export const zPlanSite = z
	.object({
		name: z.string().min(1).max(200),
		role: z.enum(SITE_ROLES),
		capacity: z.number().int().min(0).nullable().optional(),
		stocks: z.string().max(2000).optional(),
		comms: z.string().max(2000).optional(),
		lon: z.number().min(-180).max(180).nullable().optional(),
		lat: z.number().min(-90).max(90).nullable().optional()
	})
	.strict();
export type PlanSite = z.infer<typeof zPlanSite>;

/** PATCH / create body: merge semantics; `note` says why (kept with the version). */
export const zPlanFields = z
	.object({
		summary: z.string().max(20000).optional(),
		sites: z.array(zPlanSite).max(100).optional(),
		routes: z.string().max(10000).optional(),
		responsible: z.string().max(4000).optional(),
		note: z.string().max(2000).optional()
	})
	.strict();
export type PlanFields = z.infer<typeof zPlanFields>;

export interface PlanVersion {
	version: number;
	note: string;
	changed_by_name: string | null;
	changed_at: string;
	snapshot: { summary: string; sites: PlanSite[]; routes: string; responsible: string };
}
export interface Plan {
	id: string;
	base_site_id: string;
	base_name: string;
	kind: PlanKind;
	summary: string;
	sites: PlanSite[];
	routes: string;
	responsible: string;
	version: number;
	updated_at: string;
	updated_by_name: string | null;
	versions: PlanVersion[];
}
export interface BasePlans {
	base_site_id: string;
	base_name: string;
	pcode: string | null;
	plans: Record<
		PlanKind,
		{ id: string; version: number; updated_at: string; updated_by_name: string | null } | null
	>;
}

export const contingencyOverview = (as: CallerUser) =>
	call<BasePlans[]>('contingency_overview', {}, as);

export const getPlan = (as: CallerUser, id: string) =>
	call<Plan>('contingency_plan_get', { p_id: id }, as);

export function savePlan(as: CallerUser, baseId: string, kind: PlanKind, f: PlanFields) {
	const { note, ...fields } = f;
	return call<Plan>(
		'contingency_plan_save',
		{ p_base_site_id: baseId, p_kind: kind, p_fields: fields, p_note: note ?? '' },
		as
	);
}

/** A site of a readable plan, with its straight-line distance (km) from the point asked about. */
export interface NearestSite {
	name: string;
	role: (typeof SITE_ROLES)[number];
	capacity: number | null;
	stocks: string;
	comms: string;
	lon: number;
	lat: number;
	plan_id: string;
	plan_kind: PlanKind;
	base_site_id: string;
	base_name: string;
	distance_km: number;
	/** 1 = the nearest in a straight line, among every site found */
	straight_rank: number;
	/** 1 = the shortest way along a drawn route; null when no route leads there */
	route_rank: number | null;
}

/**
 * The nearest hibernation sites, assembly points and safe havens the caller may read: the `limit`
 * nearest in a straight line and the `limit` nearest along a drawn route, in straight-line order.
 */
export const nearestSites = (
	as: CallerUser,
	q: { lon: number; lat: number; roles?: string[]; limit?: number }
) =>
	call<NearestSiteWithRoute[]>(
		'contingency_nearest_sites',
		{
			p_lon: q.lon,
			p_lat: q.lat,
			p_roles: q.roles?.length ? q.roles : null,
			p_limit: q.limit ?? 5
		},
		as
	);

/** The shortest way to a site along a drawn route of a readable plan that leads there. */
export interface RouteWay {
	id: string;
	name: string;
	plan_id: string;
	/** from the point to the route's nearest point */
	approach_km: number;
	/** along the line, to the site's projection on it */
	along_km: number;
	/** from that projection to the site */
	leave_km: number;
	total_km: number;
}
export interface NearestSiteWithRoute extends NearestSite {
	route: RouteWay | null;
}

/** A plan's drawn route (a road out), as the API answers it. */
export interface PlanRoute {
	id: string;
	plan_id: string;
	name: string;
	to_site: string | null;
	source: string;
	length_km: number;
	route: { type: 'LineString'; coordinates: number[][] };
	created_at: string;
	created_by_name: string | null;
}

export const listRoutes = (as: CallerUser, planId: string) =>
	call<PlanRoute[]>('contingency_routes_list', { p_plan_id: planId }, as);

/** The body is passed as it came: the SQL function checks and names each field. */
export const addRoute = (as: CallerUser, planId: string, route: Record<string, unknown>) =>
	call<PlanRoute>('contingency_route_add', { p_plan_id: planId, p_route: route }, as);

export const removeRoute = (as: CallerUser, planId: string, id: string) =>
	call<{ id: string; deleted: true }>(
		'contingency_route_remove',
		{ p_plan_id: planId, p_id: id },
		as
	);
