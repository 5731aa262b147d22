/**
 * Contingency-plan triggers (issue 11, point 8): conditions on live data under which a plan should
 * be put into effect. The database checks the fields (naming the one at fault), evaluates the
 * triggers whenever levels, incidents or checkpoints change and raises the alerts
 * (59_contingency_triggers.sql); these are the verbs, run as the caller.
 */
import { call } from '../analysis/index.ts';
import { rpc } from '../db/index.ts';
import type { CallerUser } from '../db/types.ts';

export const TRIGGER_KINDS = ['area_level', 'incidents_near', 'checkpoint_closed'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

export interface PlanTrigger {
	id: string;
	plan_id: string;
	kind: TriggerKind;
	pcode: string | null;
	area_name: string | null;
	area_name_ar: string | null;
	level: number | null;
	min_incidents: number | null;
	radius_km: number | null;
	days: number | null;
	lon: number | null;
	lat: number | null;
	/** incidents_near: the centre is the base's position (not a point given) */
	at_base: boolean;
	checkpoint_id: string | null;
	checkpoint_name: string | null;
	met: boolean;
	met_since: string | null;
	last_alert_id: string | null;
	created_at: string;
	created_by_name: string | null;
}

export const listTriggers = (as: CallerUser, planId: string) =>
	call<PlanTrigger[]>('contingency_triggers_list', { p_plan_id: planId }, as);

/** The body is passed as it came: the SQL function is the one place its fields are checked. */
export const addTrigger = (as: CallerUser, planId: string, trigger: Record<string, unknown>) =>
	call<PlanTrigger>('contingency_trigger_add', { p_plan_id: planId, p_trigger: trigger }, as);

export const removeTrigger = (as: CallerUser, planId: string, id: string) =>
	call<{ id: string; deleted: true }>(
		'contingency_trigger_remove',
		{ p_plan_id: planId, p_id: id },
		as
	);

/** The sweeper's pass: what time alone changes (incidents leaving the window of D days). */
export const sweepTriggers = () => rpc<number>('private.contingency_triggers_sweep', {}, 'service');
