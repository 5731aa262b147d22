/**
 * Reports: the sitrep of a period and saved reports (supabase/schemas/84_reports.sql). Verbs used
 * alike by the pages, the API and the CLI; every call runs as the caller, so the figures are
 * those the caller may see (a shared report is recomputed for each reader).
 */
import { call } from '../analysis/index.ts';
import type { CallerUser } from '../db/types.ts';
import { FilterError } from '../../domain/filters.ts';
import { documentClassification } from './marking.ts';
import type { ReportInput, SavedReport, Sitrep, SitrepQuery } from '../../domain/reports.ts';

export type * from '../../domain/reports.ts';

export const sitrep = (as: CallerUser, q: SitrepQuery) =>
	call<Sitrep>(
		'sitrep',
		{ p_from: q.from, p_to: q.to, p_area: q.area ?? null, p_base: q.base ?? null },
		as
	);

export const listReports = (as: CallerUser, limit = 200) =>
	call<SavedReport[]>('reports_list', { p_limit: limit }, as);

export const getReport = (as: CallerUser, id: string) =>
	call<SavedReport | null>('report_get', { p_id: id }, as);

export const reportVersion = (as: CallerUser, id: string, version: number) =>
	call<SavedReport | null>('report_version', { p_id: id, p_version: version }, as);

export async function saveReport(
	as: CallerUser,
	id: string | null,
	input: Partial<ReportInput>,
	version?: number
): Promise<SavedReport> {
	if (input.period_from && input.period_to && input.period_to < input.period_from)
		throw new FilterError('period_to', 'the period ends before it starts');
	// A new report without a marking of its own takes the organisation's (admin setting); with
	// neither, the database's standard one ('Restricted').
	let p = input;
	if (id === null && !input.classification?.trim()) {
		const marking = await documentClassification(as);
		if (marking) p = { ...input, classification: marking };
	}
	return call<SavedReport>('report_save', { p_id: id, p, p_version: version ?? null }, as);
}
