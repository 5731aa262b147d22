/**
 * Briefing packs for incoming staff (supabase/schemas/86_briefings.sql): what the analyst writes
 * (narrative and customs, per language), what the reader gets compiled from the data, and the
 * "read and understood" acknowledgements.
 */
import { z } from 'zod';
import { UUID } from './codes.ts';
import {
	DOCUMENT_STATUSES,
	type DocumentMeta,
	type DocumentStatus,
	type DocumentVersion
} from './documents.ts';

export const BRIEFING_LANGS = ['en', 'ar', 'ku', 'fr'] as const;
export type BriefingLang = (typeof BRIEFING_LANGS)[number];

const texts = z
	.object({
		en: z.string().max(50_000).optional(),
		ar: z.string().max(50_000).optional(),
		ku: z.string().max(50_000).optional(),
		fr: z.string().max(50_000).optional()
	})
	.strict();

export const zBriefingInput = z
	.object({
		base_id: z.string().regex(UUID, 'a site id'),
		title: z.string().trim().min(1, 'required').max(300),
		status: z.enum(DOCUMENT_STATUSES).optional(),
		classification: z.string().trim().min(1).max(100).optional(),
		narrative: texts.optional(),
		customs: texts.optional()
	})
	.strict();
export type BriefingInput = z.infer<typeof zBriefingInput>;
/** A change: any of the fields (texts merge per language) and the version it was based on. */
export const zBriefingPatch = zBriefingInput
	.partial()
	.extend({ version: z.number().int().min(1).optional() });
export const zBriefingAck = z
	.object({
		version: z.number().int().min(1).optional(),
		language: z.enum(BRIEFING_LANGS).optional()
	})
	.strict();

export type Texts = Partial<Record<BriefingLang, string>>;

export interface BriefingPack extends DocumentMeta {
	id: string;
	base_id: string;
	base_name: string;
	title: string;
	narrative: Texts;
	customs: Texts;
	my_acknowledgement: { version: number; acknowledged_at: string; language: string } | null;
	versions: DocumentVersion[];
}

export interface BriefingListItem {
	id: string;
	base_id: string;
	base_name: string;
	title: string;
	status: DocumentStatus;
	version: number;
	author: string;
	updated_at: string;
	acknowledged: boolean;
}

export interface BriefingAck {
	user_id: string;
	user: string;
	version: number;
	language: string;
	acknowledged_at: string;
	current: boolean;
}

interface AreaRef {
	pcode: string;
	level: number;
	name_en: string | null;
	name_ar: string | null;
}

/** The pack compiled for its reader (public.briefing_pack). */
export interface CompiledBriefing {
	pack: BriefingPack;
	base: { id: string; name: string; site_type: string; lon: number; lat: number };
	areas: AreaRef[];
	levels: (AreaRef & {
		area_level: number;
		level: number;
		level_name: string;
		colour: string;
		inherited: boolean;
		effective_date: string;
		note: string;
		movement: string;
	})[];
	scale: { level: number; key: string; name: string; colour: string; movement: string }[];
	incidents: {
		from: string;
		to: string;
		area_pcode: string | null;
		total: number;
		fatalities: number;
		by_type: { event_type: string; n: number }[];
		notable: {
			id: string;
			event_date: string;
			event_type: string;
			location_name: string | null;
			fatalities: number | null;
			serious: boolean;
			affects_ngos: boolean;
		}[];
		points: [number, number, string][];
	};
	actors: {
		id: string;
		name: string;
		name_ar: string | null;
		actor_type: string;
		stance: string;
		influence: number | null;
	}[];
	contacts:
		| {
				id: string;
				full_name: string;
				name_ar: string | null;
				role_title: string;
				organisation: string | null;
				emergency: boolean;
				sensitivity: string;
				phones: string[];
		  }[]
		| null;
	contacts_hidden: boolean;
	sites: {
		id: string;
		name: string;
		site_type: string;
		lon: number;
		lat: number;
		distance_km: number;
	}[];
	checkpoints: { id: string; name: string; status: string; distance_km: number }[];
	generated_at: string;
}

/** The text in the reader's language, else English, else any language written. */
export function textFor(t: Texts, lang: string): { lang: BriefingLang; text: string } | null {
	const order = [lang, 'en', ...BRIEFING_LANGS] as BriefingLang[];
	for (const l of order) if (t[l]?.trim()) return { lang: l, text: t[l]! };
	return null;
}
