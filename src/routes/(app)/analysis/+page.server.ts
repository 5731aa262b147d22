import type { Feature, MultiPolygon, Polygon } from 'geojson';
import {
	autoBin,
	BIN_SIZES,
	STACK_GROUPS,
	type BinSize,
	type StackGroup
} from '$lib/domain/analysis';
import * as A from '$lib/server/analysis';
import * as map from '$lib/server/map';
import {
	areaOptions,
	childLevel,
	lenientFilters,
	pick,
	type UrlProblem
} from '$lib/server/analysis/lenient';
import { pageUser } from '$lib/server/analysis/guard';
import type { PageServerLoad } from './$types';

/** Trends: every chart of the filtered incidents; a bad URL value is dropped and named. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const user = pageUser(locals, url);
	const params = url.searchParams;
	const problems: UrlProblem[] = [];
	const filters = lenientFilters(params, problems);
	const [range, areas] = await Promise.all([A.dateRange(user), areaOptions(user)]);
	// The page's area picker holds one area; several (a link from the map) filter the charts all
	// the same, and the picker and the bar chart's level follow the first.
	for (const c of filters.areas ?? [])
		if (!areas.some((a) => a.pcode === c))
			problems.push({ parameter: 'area', message: `area: no area with P-code ${c}` });
	const area = areas.find((a) => a.pcode === filters.areas?.[0]);

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
		map.areas<AreaShapes>(user, alevel, alevel === 1 ? 0.02 : 0.008)
	]);
	const inScope = new Set(byArea.areas.map((a) => a.pcode));
	return {
		filters: { ...filters, area: filters.areas?.[0] },
		by,
		byChoice: byChoice ?? 'auto',
		group,
		alevel,
		range,
		from,
		to,
		calendarFrom,
		area: area ?? null,
		areas: areas.filter((a) => a.level <= 2 || filters.areas?.includes(a.pcode)),
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
};

interface AreaShapes {
	type: 'FeatureCollection';
	features: Feature<
		Polygon | MultiPolygon,
		{ pcode: string; name_en: string; name_ar: string | null }
	>[];
}
