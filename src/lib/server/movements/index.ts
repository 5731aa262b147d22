/**
 * Movements: the verbs pages, API routes and the CLI use. Each is one SQL function run as the
 * caller, so RLS decides what is counted (supabase/migrations/20261203170000_route_risk.sql).
 */
import { call } from '../analysis/index.ts';
import type { CallerUser } from '../db/types.ts';
import type { RouteRisk, RouteRiskQuery } from '../../domain/movements.ts';

export const routeRisk = (as: CallerUser, q: RouteRiskQuery) =>
	call<RouteRisk>(
		'route_risk',
		{
			p_route: q.route,
			p_corridor_km: q.corridor_km ?? null,
			p_from: q.from ?? null,
			p_to: q.to ?? null,
			// lists travel as JSON text (node-postgres would send a JS array as a PostgreSQL array)
			p_stops: q.stops ? JSON.stringify(q.stops) : null,
			p_stop_km: q.stop_km ?? null,
			p_list_limit: q.list_limit ?? 200,
			p_on: q.on ?? null
		},
		as
	);

export type MovementSettings = Record<string, number | string>;

export const movementSettings = (as: CallerUser) =>
	call<MovementSettings>('movement_settings_get', {}, as);

export const updateMovementSettings = (as: CallerUser, patch: Record<string, unknown>) =>
	call<MovementSettings>('movement_settings_update', { p_patch: patch }, as);
