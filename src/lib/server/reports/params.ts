/** The sitrep's query string (API, pages, print pages): from, to (required), area or base. */
import { dateParam, pcodeParam, uuidParam, FilterError, type ParamSource } from '../api/params.ts';
import type { SitrepQuery } from '../../domain/reports.ts';

export function sitrepQuery(params: ParamSource): SitrepQuery {
	const from = dateParam(params, 'from');
	const to = dateParam(params, 'to');
	if (!from) throw new FilterError('from', 'the first day of the period is required (YYYY-MM-DD)');
	if (!to) throw new FilterError('to', 'the last day of the period is required (YYYY-MM-DD)');
	if (to < from) throw new FilterError('to', 'the period ends before it starts');
	return { from, to, area: pcodeParam(params, 'area'), base: uuidParam(params, 'base') };
}

/** The same query as a search string, for links and the print page. */
export function sitrepSearch(q: SitrepQuery): string {
	const p = new URLSearchParams({ from: q.from, to: q.to });
	if (q.area) p.set('area', q.area);
	if (q.base) p.set('base', q.base);
	return p.toString();
}

/** The organisation named in the classification marking ("Restricted — ORG"). */
export const orgName = () => process.env.TERRAIN_ORG_NAME?.trim() || 'Terrain';
