/**
 * How the analysis pages read their URL. URL state is read leniently — a hand-edited or stale link with
 * one bad value still opens the page, without that value and with a note saying what was
 * dropped — while the API (params.ts) answers the same mistake with a 400.
 */
import { rpc } from '../db/index.ts';
import type { CallerUser } from '../db/types.ts';
import { FilterError, parseIncidentFilters, type IncidentFilters } from '../../domain/filters.ts';
import type { AreaOption } from '../../domain/analysis-types.ts';

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

export function pick<T extends string>(
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
