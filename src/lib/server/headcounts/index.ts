/**
 * Headcounts (issue 11): a roll call of staff. The verbs pages, API routes and the server's timer
 * use; each is one SQL function run as the caller (supabase/schemas/58_headcounts_contingency.sql).
 */
import { z } from 'zod';
import { call } from '../analysis/index.ts';
import { rpc } from '../db/index.ts';
import type { CallerUser } from '../db/types.ts';

export const zHeadcountStart = z
	.object({
		scope: z.enum(['everyone', 'base', 'area']),
		pcode: z.string().max(20).optional(),
		base_site_id: z.string().uuid().optional(),
		message: z.string().max(2000).optional(),
		escalate_after_minutes: z.number().int().min(1).max(10080).optional()
	})
	.strict();
export type HeadcountStart = z.infer<typeof zHeadcountStart>;

export const zHeadcountAnswer = z
	.object({
		answer: z.enum(['safe', 'need_help']),
		lon: z.number().min(-180).max(180).optional(),
		lat: z.number().min(-90).max(90).optional(),
		note: z.string().max(2000).optional()
	})
	.strict()
	.refine((a) => (a.lon === undefined) === (a.lat === undefined), {
		message: 'give lon and lat, or neither',
		path: ['lon']
	});
export type HeadcountAnswer = z.infer<typeof zHeadcountAnswer>;

export interface HeadcountPerson {
	user_id: string;
	name: string;
	answer: 'safe' | 'need_help' | null;
	answered_at: string | null;
	note: string;
	escalated: boolean;
	lon: number | null;
	lat: number | null;
}
export interface Headcount {
	id: string;
	scope: 'everyone' | 'base' | 'area';
	base_name: string | null;
	pcode: string | null;
	area_name: string | null;
	message: string;
	escalate_after_minutes: number;
	started_by_name: string | null;
	started_at: string;
	escalate_at: string;
	closed_at: string | null;
	counts: { people: number; safe: number; need_help: number; no_answer: number; escalated: number };
	people?: HeadcountPerson[];
	mine: { answer: string | null; answered_at: string | null; note: string } | null;
}

export const startHeadcount = (as: CallerUser, h: HeadcountStart) =>
	call<Headcount>(
		'headcount_start',
		{
			p_scope: h.scope,
			p_pcode: h.pcode ?? null,
			p_base_site_id: h.base_site_id ?? null,
			p_message: h.message ?? '',
			p_escalate_after_minutes: h.escalate_after_minutes ?? 60
		},
		as
	);

export const answerHeadcount = (as: CallerUser, id: string, a: HeadcountAnswer) =>
	call<{ id: string; answer: string }>(
		'headcount_answer',
		{
			p_id: id,
			p_answer: a.answer,
			p_lon: a.lon ?? null,
			p_lat: a.lat ?? null,
			p_note: a.note ?? ''
		},
		as
	);

export const getHeadcount = (as: CallerUser, id: string) =>
	call<Headcount>('headcount_get', { p_id: id }, as);

export const listHeadcounts = (as: CallerUser) =>
	call<Headcount[]>('headcounts_list', { p_limit: 50 }, as);

export const closeHeadcount = (as: CallerUser, id: string) =>
	call<Headcount>('headcount_close', { p_id: id }, as);

export const myPendingHeadcounts = (as: CallerUser) =>
	call<{ id: string; message: string; started_at: string }[]>('my_headcounts_pending', {}, as);

/** People late to answer are escalated once (the server's timer, as the service role). */
export const sweepHeadcounts = () =>
	rpc<number>('private.headcounts_escalate_sweep', {}, 'service');
