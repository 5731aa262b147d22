/**
 * Context analysis: the incident aggregations, the baseline, proximity, security levels and the
 * area profile. One small function per SQL function (supabase/migrations/2026112200300*), run as
 * the caller so RLS decides what is counted.
 *
 * The SQL names the argument first in its 22023 messages ("by: unknown value …"); those become
 * FilterErrors here so the API answers 400 with `parameter` set, as it does for what the
 * TypeScript side validates itself.
 */
import { rpc } from '../db/index.ts';
import type { Caller, CallerUser } from '../db/types.ts';
import { filterArgs, FilterError, type IncidentFilters } from '../../domain/filters.ts';
import { refinementArgs, type Refinement } from '../../domain/refine-filters.ts';
import type { BinSize, StackGroup } from '../../domain/analysis.ts';
import type { SiteKind } from '../../domain/taxonomy.ts';
import type { BaselineQuery, LevelInput, ProximityQuery } from './params.ts';
import type * as T from '../../domain/analysis-types.ts';

export type * from '../../domain/analysis-types.ts';

const ARG_MESSAGE = /^([a-z_]+): (.+)$/s;

/** Calls a SQL function; a 22023 whose message starts with an argument name becomes a FilterError. */
export async function call<R>(fn: string, args: Record<string, unknown>, as: Caller): Promise<R> {
	try {
		return await rpc<R>(fn, args, as);
	} catch (e) {
		const err = e as { name?: string; code?: string; message?: string };
		const m = err?.code === '22023' ? ARG_MESSAGE.exec(err.message ?? '') : null;
		if (m) throw new FilterError(m[1], m[2].trim());
		throw e;
	}
}

export const incidentStats = (as: CallerUser, f: IncidentFilters, by: BinSize, group: StackGroup) =>
	call<T.IncidentStats>('incident_stats', { ...filterArgs(f), p_by: by, p_group: group }, as);

/** Per-area counts; with a refinement (place, lens, …), under exactly the incident layer's filter. */
export const incidentsByArea = (
	as: CallerUser,
	f: IncidentFilters,
	level: 1 | 2 | 3,
	r: Refinement = { place: {}, more: {} }
) =>
	call<T.ByArea>(
		'incidents_by_area',
		{ ...filterArgs(f), ...refinementArgs(r), p_level: level },
		as
	);

export const incidentsCalendar = (as: CallerUser, f: IncidentFilters) =>
	call<T.Calendar>('incidents_calendar', filterArgs(f), as);

export const incidentsTimePattern = (as: CallerUser, f: IncidentFilters) =>
	call<T.TimePattern>('incidents_time_pattern', filterArgs(f), as);

export const topActors = (as: CallerUser, f: IncidentFilters, limit = 10) =>
	call<T.TopActors>('incidents_top_actors', { ...filterArgs(f), p_limit: limit }, as);

export const incidentSources = (as: CallerUser, f: IncidentFilters) =>
	call<T.SourceCount[]>('incidents_sources', filterArgs(f), as);

export const dateRange = (as: CallerUser) => call<T.DateRange>('incidents_date_range', {}, as);

export const baselineTable = (as: CallerUser, q: BaselineQuery) =>
	call<T.BaselineTable>(
		'baseline_table',
		{
			p_as_of: q.asOf ?? null,
			p_types: q.types ?? null,
			p_level: q.level ?? null,
			p_parent: q.parent ?? null
		},
		as
	);

export const areaBaseline = (
	as: CallerUser,
	pcode: string | null,
	q: { asOf?: string; types?: string[] }
) =>
	call<T.AreaBaseline>(
		'area_baseline',
		{ p_pcode: pcode, p_as_of: q.asOf ?? null, p_types: q.types ?? null },
		as
	);

export const proximity = (as: CallerUser, q: ProximityQuery) =>
	call<T.Proximity>(
		'incidents_proximity',
		{
			p_km: q.km,
			p_days: q.days,
			p_as_of: q.asOf ?? null,
			p_site_kind: q.siteKind ?? null,
			p_site_id: q.siteId ?? null,
			p_geometry: q.geometry ?? null,
			p_types: q.types ?? null,
			p_limit: q.limit
		},
		as
	);

export const levelScale = (as: CallerUser) => call<T.ScaleEntry[]>('security_levels_scale', {}, as);

export const areaLevels = (as: CallerUser, pcode: string, limit = 200) =>
	call<T.LevelRecord[]>('area_levels', { p_pcode: pcode, p_limit: limit }, as);

export const recordLevel = (as: CallerUser, pcode: string, input: LevelInput) =>
	call<T.LevelRecord>(
		'area_level_record',
		{
			p_pcode: pcode,
			p_level: input.level,
			p_note: input.note,
			p_effective_date: input.effectiveDate
		},
		as
	);

export const currentLevels = (as: CallerUser, q: { asOf?: string; level?: number }) =>
	call<T.CurrentLevel[]>(
		'area_levels_current',
		{ p_as_of: q.asOf ?? null, p_level: q.level ?? null },
		as
	);

export const areaProfile = (as: CallerUser, pcode: string) =>
	call<T.AreaProfile>('area_profile', { p_pcode: pcode }, as);

export const siteKinds: readonly SiteKind[] = [
	'org_sites',
	'health_facilities',
	'idp_camps',
	'checkpoints'
];
