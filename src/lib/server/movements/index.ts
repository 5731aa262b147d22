/**
 * Movements: the verbs pages, API routes and the CLI use. Each is one SQL function run as the
 * caller, so RLS decides what is counted (supabase/migrations/20261203170000_route_risk.sql).
 */
import { call } from '../analysis/index.ts';
import { rpc } from '../db/index.ts';
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

/** A movement plan as the API answers it (see sensitive.movement_json). */
export type Movement = Record<string, unknown> & { id: string; status: MovementStatus };

export const MOVEMENT_STATUSES = [
	'draft',
	'submitted',
	'approved',
	'approved_conditions',
	'refused',
	'under_way',
	'completed',
	'overdue',
	'closed',
	'cancelled'
] as const;
export type MovementStatus = (typeof MOVEMENT_STATUSES)[number];

export const getMovement = (as: CallerUser, id: string) =>
	call<Movement>('movement_get', { p_id: id }, as);

export const listMovements = (as: CallerUser, status?: MovementStatus[], limit = 200) =>
	call<Movement[]>('movements_list', { p_status: status ?? null, p_limit: limit }, as);

/** One movement's board row as the caller may read it, or null (the live board's reads). */
export const movementBoardItem = (as: CallerUser, id: string) =>
	call<Movement | null>('movement_board_item', { p_id: id }, as);

/** Create (id null) or change a draft; merge semantics: only the fields sent change. */
export const saveMovement = (as: CallerUser, id: string | null, fields: Record<string, unknown>) =>
	call<Movement>('movement_save', { p_id: id, p_movement: fields }, as);

export const transitionMovement = (
	as: CallerUser,
	id: string,
	to: MovementStatus,
	o: { reason?: string; conditions?: string; lon?: number; lat?: number } = {}
) =>
	call<Movement>(
		'movement_transition',
		{
			p_id: id,
			p_to: to,
			p_reason: o.reason ?? '',
			p_conditions: o.conditions ?? null,
			p_lon: o.lon ?? null,
			p_lat: o.lat ?? null
		},
		as
	);

export const sendPosition = (as: CallerUser, id: string, lon: number, lat: number) =>
	call<{ id: string; lon: number; lat: number; at: string }>(
		'movement_position',
		{ p_id: id, p_lon: lon, p_lat: lat },
		as
	);

export interface CallInput {
	outcome: 'confirmed' | 'conditions' | 'advised_against' | 'no_answer';
	contact_id?: string;
	contact_name?: string;
	pcode?: string;
	segment?: string;
	said?: string;
	called_at?: string;
}

export const logCall = (as: CallerUser, movementId: string, c: CallInput) =>
	call<Movement>(
		'movement_call_log',
		{
			p_movement_id: movementId,
			p_outcome: c.outcome,
			p_contact_id: c.contact_id ?? null,
			p_contact_name: c.contact_name ?? null,
			p_pcode: c.pcode ?? null,
			p_segment: c.segment ?? null,
			p_said: c.said ?? '',
			p_called_at: c.called_at ?? null
		},
		as
	);

/** Marks late movements overdue (the server's timer, as the service role). */
export const sweepOverdue = () =>
	rpc<{ id: string; purpose: string; created_by: string; decided_by: string | null }[]>(
		'private.movements_overdue_sweep',
		{},
		'service'
	);

/**
 * The route risk of a saved plan (null without a route): public.movement_risk runs route_risk over
 * its route, corridor, stops and day of travel, and adds the access-authorisation check and its
 * rule. The read is audited.
 */
export const movementRisk = (as: CallerUser, m: Movement) =>
	call<RouteRisk | null>('movement_risk', { p_id: m.id }, as);

/**
 * Submit a plan: its route risk is computed now and stored with it (what the approver sees). A
 * replayed submit (same Idempotency-Key, the plan already submitted) stores nothing again: the
 * transition answers its first answer.
 */
export async function submitMovement(as: CallerUser, id: string, reason = '') {
	const m = await getMovement(as, id);
	if (m.status === 'draft' || m.status === 'refused') {
		const risk = await movementRisk(as, m);
		if (risk) await call<null>('movement_risk_store', { p_id: id, p_risk: risk }, as);
	}
	return transitionMovement(as, id, 'submitted', { reason });
}

/** A no-go zone (public.no_go_zones): route risk refuses a corridor that touches one in force. */
export interface NoGoZone {
	id: string;
	name: string;
	reason: string;
	valid_from: string;
	valid_to: string | null;
	created_at: string;
	created_by_name: string | null;
	area_km2: number;
	geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
}

export const listNoGoZones = (as: CallerUser, active = false) =>
	call<NoGoZone[]>('no_go_zones_list', { p_active: active }, as);

/** Analysts and admins (the table's policies); a bad field is refused by name. */
export const addNoGoZone = (as: CallerUser, zone: Record<string, unknown>) =>
	call<NoGoZone>('no_go_zone_add', { p: zone }, as);

export const deleteNoGoZone = (as: CallerUser, id: string) =>
	call<{ id: string; deleted: boolean }>('no_go_zone_delete', { p_id: id }, as);
