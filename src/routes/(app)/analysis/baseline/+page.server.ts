import { FilterError } from '$lib/domain/filters';
import * as A from '$lib/server/analysis';
import type { UrlProblem } from '$lib/server/analysis/lenient';
import {
	isRealDate,
	latestToday,
	parseBaselineQuery,
	typesParam
} from '$lib/server/analysis/params';
import { pageUser } from '$lib/server/analysis/guard';
import type { PageServerLoad } from './$types';

/** Baseline: each area's last 1 and 4 weeks against the 52 before, as of a date. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const user = pageUser(locals, url);
	const params = url.searchParams;
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
};
