/**
 * What the analysis pages load. URL state is read leniently — a hand-edited or stale link with
 * one bad value still opens the page, without that value and with a note saying what was
 * dropped — while the API (params.ts) answers the same mistake with a 400.
 */
import { rpc } from '../db/index.ts';
import type { CallerUser } from '../db/types.ts';
import { FilterError, parseIncidentFilters, type IncidentFilters } from '../../domain/filters.ts';
import {
	autoBin,
	BIN_SIZES,
	STACK_GROUPS,
	type BinSize,
	type StackGroup
} from '../../domain/analysis.ts';
import * as A from './index.ts';
import type { AreaOption } from '../../domain/analysis-types.ts';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import {
	isRealDate,
	latestToday,
	parseBaselineQuery,
	parseProximity,
	pcodeParam,
	typesParam
} from './params.ts';

export interface UrlProblem {
	parameter: string;
	message: string;
}

export type { AreaOption };

/** The incident filters, each parameter on its own: a bad one is dropped and reported. */
export function lenientFilters(params: URLSearchParams, problems: UrlProblem[]): IncidentFilters {
	const out: IncidentFilters = {};
	for (const key of ['from', 'to', 'type', 'area', 'bbox'] as const) {
		const values = params.getAll(key);
		if (!values.length) continue;
		const one = new URLSearchParams();
		for (const v of values) one.append(key, v);
		try {
			Object.assign(out, parseIncidentFilters(one));
		} catch (e) {
			if (e instanceof FilterError) problems.push({ parameter: e.parameter, message: e.message });
			else throw e;
		}
	}
	if (out.from && out.to && out.from > out.to) {
		problems.push({ parameter: 'to', message: 'to: was before from; the two were swapped' });
		[out.from, out.to] = [out.to, out.from];
	}
	return out;
}

function pick<T extends string>(
	params: URLSearchParams,
	name: string,
	allowed: readonly T[],
	problems: UrlProblem[]
): T | undefined {
	const v = params.get(name);
	if (!v) return undefined;
	if ((allowed as readonly string[]).includes(v)) return v as T;
	problems.push({ parameter: name, message: `${name}: unknown value "${v}"` });
	return undefined;
}

export async function areaOptions(user: CallerUser): Promise<AreaOption[]> {
	return rpc<AreaOption[]>('areas_list', {}, user);
}

/** The area level of the bar chart: one below the filtered area (governorates when none). */
export function childLevel(area: AreaOption | undefined): 1 | 2 | 3 {
	if (!area) return 1;
	return Math.min(3, area.level + 1) as 1 | 2 | 3;
}

export async function trendsPage(user: CallerUser, params: URLSearchParams) {
	const problems: UrlProblem[] = [];
	const filters = lenientFilters(params, problems);
	const [range, areas] = await Promise.all([A.dateRange(user), areaOptions(user)]);
	const area = filters.area ? areas.find((a) => a.pcode === filters.area) : undefined;
	if (filters.area && !area)
		problems.push({ parameter: 'area', message: `area: no area with P-code ${filters.area}` });

	const from = filters.from ?? range.first_date;
	const to = filters.to ?? range.last_date;
	const byChoice = pick<BinSize>(params, 'by', BIN_SIZES, problems);
	const by: BinSize = byChoice ?? (from && to ? autoBin(from, to) : 'month');
	const group: StackGroup = pick<StackGroup>(params, 'group', STACK_GROUPS, problems) ?? 'type';
	const levelRaw = params.get('alevel');
	let alevel = childLevel(area);
	if (levelRaw) {
		if (['1', '2', '3'].includes(levelRaw)) alevel = Number(levelRaw) as 1 | 2 | 3;
		else problems.push({ parameter: 'alevel', message: `alevel: must be 1, 2 or 3` });
	}
	// The calendar shows at most the last six years of the range: ask only for those days.
	const calendarFrom =
		from && to ? [from, `${Number(to.slice(0, 4)) - 5}-01-01`].sort().at(-1)! : undefined;

	const [stats, byArea, calendar, time, actors, sources, shapes] = await Promise.all([
		A.incidentStats(user, filters, by, group),
		A.incidentsByArea(user, filters, alevel),
		A.incidentsCalendar(user, { ...filters, from: calendarFrom ?? filters.from }),
		A.incidentsTimePattern(user, filters),
		A.topActors(user, filters, 12),
		A.incidentSources(user, filters),
		// outlines for the choropleth, simplified to what a 400-px map shows
		rpc<AreaShapes>(
			'areas_geojson',
			{ p_level: alevel, p_tolerance: alevel === 1 ? 0.02 : 0.008 },
			user
		)
	]);
	const inScope = new Set(byArea.areas.map((a) => a.pcode));
	return {
		filters,
		by,
		byChoice: byChoice ?? 'auto',
		group,
		alevel,
		range,
		from,
		to,
		calendarFrom,
		area: area ?? null,
		areas: areas.filter((a) => a.level <= 2 || a.pcode === filters.area),
		stats,
		byArea,
		calendar,
		time,
		actors,
		sources,
		shapes: {
			type: 'FeatureCollection' as const,
			features: shapes.features.filter((f) => inScope.has(f.properties.pcode))
		},
		problems
	};
}

export async function baselinePage(user: CallerUser, params: URLSearchParams) {
	const problems: UrlProblem[] = [];
	const range = await A.dateRange(user);
	let asOf = params.get('as_of') ?? '';
	if (asOf && !isRealDate(asOf)) {
		problems.push({ parameter: 'as_of', message: 'as_of: expected a date as YYYY-MM-DD' });
		asOf = '';
	}
	// Default: the newest incident's date — "today" would show nothing for the demo data.
	const effective = asOf || range.last_date || latestToday().slice(0, 10);
	let types: string[] | undefined;
	try {
		types = typesParam(params);
	} catch (e) {
		if (e instanceof FilterError) problems.push({ parameter: e.parameter, message: e.message });
		else throw e;
	}
	let level: number | undefined;
	const lv = params.get('level');
	if (lv && ['0', '1', '2', '3'].includes(lv)) level = Number(lv);
	else if (lv && lv !== 'all')
		problems.push({ parameter: 'level', message: 'level: must be 0, 1, 2 or 3' });
	let parent: string | undefined;
	try {
		parent = parseBaselineQuery(
			new URLSearchParams(params.get('parent') ? { parent: params.get('parent')! } : {})
		).parent;
	} catch (e) {
		if (e instanceof FilterError) problems.push({ parameter: e.parameter, message: e.message });
		else throw e;
	}
	const table = await A.baselineTable(user, { asOf: effective, types, level, parent });
	return {
		asOf: effective,
		range,
		types: types ?? null,
		level: level ?? null,
		parent: parent ?? null,
		table,
		problems
	};
}

export async function proximityPage(user: CallerUser, params: URLSearchParams) {
	const [range, org, health, camps, checkpoints] = await Promise.all([
		A.dateRange(user),
		rpc<SiteCollection>('sites_geojson', { p_kind: 'org_sites' }, user),
		rpc<SiteCollection>('sites_geojson', { p_kind: 'health_facilities' }, user),
		rpc<SiteCollection>('sites_geojson', { p_kind: 'idp_camps' }, user),
		rpc<SiteCollection>('sites_geojson', { p_kind: 'checkpoints' }, user)
	]);
	// With their coordinates: the proximity map draws the sites and the distance around them.
	const names = (fc: SiteCollection) =>
		fc.features.map((f) => ({
			id: String(f.id),
			name: String(f.properties.name ?? ''),
			is_sample: Boolean(f.properties.is_sample),
			lon: f.geometry?.coordinates?.[0] ?? null,
			lat: f.geometry?.coordinates?.[1] ?? null
		}));
	const sites = {
		org_sites: names(org),
		health_facilities: names(health),
		idp_camps: names(camps),
		checkpoints: names(checkpoints)
	};
	const defaults = { km: '25', days: '30', as_of: range.last_date ?? latestToday() };
	const asked = params.has('km');
	let result: A.Proximity | null = null;
	let problem: UrlProblem | null = null;
	if (asked) {
		try {
			const q = parseProximity(params);
			result = await A.proximity(user, { ...q, asOf: q.asOf ?? defaults.as_of });
		} catch (e) {
			if (e instanceof FilterError) problem = { parameter: e.parameter, message: e.message };
			else if ((e as { code?: string }).code === 'P0002')
				problem = { parameter: 'site_id', message: (e as Error).message };
			else throw e;
		}
	}
	return { range, sites, defaults, result, problem };
}

interface AreaShapes {
	type: 'FeatureCollection';
	features: Feature<
		Polygon | MultiPolygon,
		{ pcode: string; name_en: string; name_ar: string | null }
	>[];
}

interface SiteCollection {
	features: {
		id: string | number;
		properties: Record<string, unknown>;
		geometry?: { coordinates?: [number, number] };
	}[];
}

export async function areaPage(user: CallerUser, pcodeRaw: string, params: URLSearchParams) {
	const pcode = pcodeParam('pcode', pcodeRaw);
	const profile = await A.areaProfile(user, pcode);
	const range = await A.dateRange(user);
	const asOfRaw = params.get('as_of');
	const asOf = asOfRaw && isRealDate(asOfRaw) ? asOfRaw : (range.last_date ?? latestToday());
	const filters: IncidentFilters = { area: pcode };
	const [levels, baseline, stats, byArea, sources] = await Promise.all([
		A.areaLevels(user, pcode, 100),
		A.areaBaseline(user, pcode, { asOf }),
		A.incidentStats(user, filters, 'month', 'type'),
		profile.level < 3
			? A.incidentsByArea(user, filters, (profile.level + 1) as 2 | 3)
			: Promise.resolve(null),
		A.incidentSources(user, filters)
	]);
	const childBaseline =
		profile.level < 3 ? await A.baselineTable(user, { asOf, parent: pcode }) : null;
	return {
		pcode,
		profile,
		levels,
		baseline,
		childBaseline,
		stats,
		byArea,
		sources,
		asOf,
		range,
		today: new Date().toISOString().slice(0, 10)
	};
}
