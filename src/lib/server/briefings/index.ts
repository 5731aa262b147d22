/**
 * Briefing packs (supabase/schemas/86_briefings.sql): verbs used alike by pages, the API and the
 * CLI. Every call runs as the caller: a pack is compiled for its reader, so the contacts in it
 * are those the reader may see.
 */
import { call } from '../analysis/index.ts';
import type { CallerUser } from '../db/types.ts';
import { documentClassification } from '../reports/marking.ts';
import type {
	BriefingAck,
	BriefingInput,
	BriefingLang,
	BriefingListItem,
	BriefingPack,
	CompiledBriefing
} from '../../domain/briefings.ts';

export type * from '../../domain/briefings.ts';

export const listBriefings = (as: CallerUser, base: string | null = null, limit = 200) =>
	call<BriefingListItem[]>('briefings_list', { p_base: base, p_limit: limit }, as);

export const getBriefing = (as: CallerUser, id: string) =>
	call<BriefingPack | null>('briefing_get', { p_id: id }, as);

/** The pack with everything the data says today, for this reader (audits the contacts named). */
export const compileBriefing = (as: CallerUser, id: string, asOf: string | null = null) =>
	call<CompiledBriefing | null>('briefing_pack', { p_id: id, p_as_of: asOf }, as);

/**
 * A new pack without a marking of its own takes the organisation's (the admin setting
 * document_classification); with neither, the database's standard one ('Restricted').
 */
export async function saveBriefing(
	as: CallerUser,
	id: string | null,
	input: Partial<BriefingInput>,
	version?: number
): Promise<BriefingPack> {
	const p = id === null && !input.classification?.trim() ? await withOrgMarking(as, input) : input;
	return call<BriefingPack>('briefing_save', { p_id: id, p, p_version: version ?? null }, as);
}

async function withOrgMarking<T extends { classification?: string }>(as: CallerUser, input: T) {
	const marking = await documentClassification(as);
	return marking ? { ...input, classification: marking } : input;
}

export const acknowledgeBriefing = (
	as: CallerUser,
	id: string,
	version: number | null,
	language: BriefingLang
) =>
	call<{
		pack_id: string;
		version: number;
		user_id: string;
		language: string;
		acknowledged_at: string;
	}>('briefing_acknowledge', { p_id: id, p_version: version, p_language: language }, as);

export const briefingAcknowledgements = (as: CallerUser, id: string) =>
	call<BriefingAck[]>('briefing_acknowledgements', { p_id: id }, as);
