/**
 * Area assessment (issue #12 items 1–2): the profile of an admin area, a drawn polygon or a
 * buffered point/route, community profiles, and saved assessments. One verb per SQL function of
 * supabase/schemas/82_assessments.sql, run as the caller so RLS decides what is counted.
 * SQL field errors ("geometry: …") become FilterErrors (400 naming the field) through `call`.
 */
import { call } from '../analysis/index.ts';
import type { CallerUser } from '../db/types.ts';
import type { AssessmentQuery } from '../../domain/assessments.ts';
import type { CommunityRow } from './community-csv.ts';

export type Profile = Record<string, unknown> & {
	incidents: { total: number; by_year: Record<string, number> };
};
export interface AssessmentListItem {
	id: string;
	title: string;
	status: 'draft' | 'final';
	author_name: string | null;
	author_id: string;
	covered: string[];
	incidents_total: number;
}
export type Assessment = Record<string, unknown> & {
	id: string;
	title: string;
	status: 'draft' | 'final';
	notes: string;
	author_id: string;
	author_name: string | null;
	created_at: string;
	updated_at: string;
	snapshot_at: string;
	finalised_at: string | null;
	snapshot: Profile;
};

const queryArgs = (q: AssessmentQuery) => ({
	p_area: q.area ?? null,
	p_geometry: q.geometry ?? null,
	p_buffer_km: q.buffer_km ?? null,
	p_as_of: q.as_of ?? null
});

export const profile = (as: CallerUser, q: AssessmentQuery) =>
	call<Profile>('assessment_profile', queryArgs(q), as);

export const communityGet = (as: CallerUser, pcode: string) =>
	call<Record<string, unknown>>('area_community_get', { p_pcode: pcode }, as);

export const communitySave = (as: CallerUser, pcode: string, fields: Record<string, unknown>) =>
	call<Record<string, unknown>>('area_community_save', { p_pcode: pcode, p: fields }, as);

/** All rows or none: the SQL names the first unknown P-code by its row in the file. */
export const communityImport = (as: CallerUser, rows: CommunityRow[]) =>
	call<{ imported: number }>('area_community_import', { p_rows: JSON.stringify(rows) }, as);

export const create = (as: CallerUser, title: string, query: AssessmentQuery, notes: string) =>
	call<Assessment>(
		'assessment_create',
		{ p_title: title, p_query: query as Record<string, unknown>, p_notes: notes },
		as
	);

export const list = (as: CallerUser, status: string | null) =>
	call<AssessmentListItem[]>('assessments_list', { p_status: status }, as);

export const get = (as: CallerUser, id: string) =>
	call<Assessment | null>('assessment_get', { p_id: id }, as);

export const update = (as: CallerUser, id: string, patch: Record<string, unknown>) =>
	call<Assessment>('assessment_update', { p_id: id, p: patch }, as);

export const rerun = (as: CallerUser, id: string) =>
	call<{ assessment: Assessment & { snapshot: Profile }; current: Profile }>(
		'assessment_rerun',
		{ p_id: id },
		as
	);

export const remove = (as: CallerUser, id: string) =>
	call<{ id: string; deleted: boolean }>('assessment_delete', { p_id: id }, as);
