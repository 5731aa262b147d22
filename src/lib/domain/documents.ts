/**
 * What the analyst's saved documents have in common: a sitrep (reports.ts) and a briefing pack
 * (briefings.ts) both go from draft to final, carry a classification line, and keep every saved
 * version with its author (supabase/schemas/84_reports.sql, 86_briefings.sql). Defined once here
 * so that the two stay the same shape as each other and as the tables they are read from.
 */

export const DOCUMENT_STATUSES = ['draft', 'final'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** One line of a document's history: which version, when, by whom. */
export interface DocumentVersion {
	version: number;
	saved_at: string;
	saved_by: string;
}

/** The columns both document tables carry besides their content. */
export interface DocumentMeta {
	status: DocumentStatus;
	classification: string;
	version: number;
	created_by: string;
	author: string;
	created_at: string;
	updated_at: string;
	finalised_at: string | null;
}
