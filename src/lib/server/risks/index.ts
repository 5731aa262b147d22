/** The risk register's verbs (supabase/schemas/84_reports.sql), run as the caller. */
import { call } from '../analysis/index.ts';
import { rpc } from '../db/index.ts';
import type { CallerUser } from '../db/types.ts';
import type { Risk, RiskInput, RiskSuggestion } from '../../domain/risks.ts';

export type * from '../../domain/risks.ts';

export const listRisks = (as: CallerUser, scope: string | null = null, key: string | null = null) =>
	call<Risk[]>('risks_list', { p_scope: scope, p_key: key }, as);

export const getRisk = (as: CallerUser, id: string) =>
	call<Risk | null>('risk_get', { p_id: id }, as);

export const saveRisk = (
	as: CallerUser,
	id: string | null,
	input: Partial<RiskInput>,
	version?: number
) => call<Risk>('risk_save', { p_id: id, p: input, p_version: version ?? null }, as);

export const acceptRisk = (as: CallerUser, id: string) =>
	call<Risk>('risk_accept', { p_id: id }, as);

export const suggestLikelihood = (
	as: CallerUser,
	area: string,
	category: string,
	asOf: string | null = null
) =>
	call<RiskSuggestion>('risk_suggest', { p_area: area, p_category: category, p_as_of: asOf }, as);

/** Review reminders (alerts) for risks due within 7 days; the server's timer runs it. */
export const sweepRiskReviews = () => rpc<string[]>('private.risks_review_sweep', {}, 'service');
