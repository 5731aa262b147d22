/**
 * Reports: the sitrep's shape (public.sitrep, supabase/schemas/84_reports.sql) and the saved
 * report's fields, with the zod schema a saved report is checked against (API and pages alike).
 */
import { z } from 'zod';
import { isIsoDate, PCODE, UUID } from './codes.ts';
import { DOCUMENT_STATUSES, type DocumentMeta, type DocumentVersion } from './documents.ts';

export interface SitrepQuery {
	from: string;
	to: string;
	area?: string | null;
	base?: string | null;
}

export interface SitrepChange {
	observed: number;
	baseline: number;
	expected: number;
	change_pct: number | null;
	trend: 'rising' | 'falling' | 'stable';
	low_count: boolean;
}

export interface Sitrep {
	period: { from: string; to: string; days: number; bin: 'day' | 'week' | 'month' };
	area: { pcode: string; level: number; name_en: string; name_ar: string | null } | null;
	base: { id: string; name: string; site_type: string } | null;
	group_level: number;
	headline: {
		total: number;
		fatalities: number;
		injuries: number;
		abductions: number;
		serious: number;
		affecting_ngos: number;
		affecting_us: number;
		areas_affected: number;
		previous_total: number;
	};
	baseline: { from: string; to: string; all: SitrepChange };
	by_type: { key: string; n: number; fatalities: number }[];
	by_area: {
		pcode: string;
		name_en: string;
		name_ar: string | null;
		n: number;
		fatalities: number;
		by_type: Record<string, number>;
		change: SitrepChange;
	}[];
	unassigned: number;
	bins: { bin: string; n: number; fatalities: number }[];
	level_changes: {
		pcode: string;
		name_en: string;
		name_ar: string | null;
		level: number;
		level_name: string;
		colour: string;
		effective_date: string;
		note: string;
		previous: number | null;
	}[];
	checkpoint_changes: {
		id: string;
		name: string;
		name_ar: string | null;
		status: string;
		status_reason: string | null;
		controlled_by: string | null;
		last_verified_at: string | null;
		updated_at: string;
	}[];
	notable: {
		id: string;
		event_date: string;
		event_type: string;
		sub_event_type: string | null;
		location_name: string | null;
		admin1_name: string | null;
		admin2_name: string | null;
		admin1_name_ar: string | null;
		admin2_name_ar: string | null;
		fatalities: number | null;
		injuries: number | null;
		abductions: number | null;
		serious: boolean;
		affects_ngos: boolean;
		affects_us: boolean;
		notes: string;
	}[];
	/** [lon, lat, event_type]: the point each incident shows to this caller (fuzzed or exact). */
	points: [number, number, string][];
	generated_at: string;
}

export interface ReportSection {
	heading: string;
	markdown: string;
}

const day = z.string().refine(isIsoDate, 'expected a date as YYYY-MM-DD');

export const zReportInput = z
	.object({
		title: z.string().trim().min(1, 'required').max(300),
		period_from: day,
		period_to: day,
		area_pcode: z.string().regex(PCODE, 'a P-code such as IQG09').nullable().optional(),
		base_id: z.string().regex(UUID, 'a site id').nullable().optional(),
		status: z.enum(DOCUMENT_STATUSES).optional(),
		classification: z.string().trim().min(1).max(100).optional(),
		sections: z
			.array(z.object({ heading: z.string().max(300), markdown: z.string().max(50_000) }))
			.max(50)
			.optional()
	})
	.strict();
export type ReportInput = z.infer<typeof zReportInput>;
/** A change: any of the fields, and the version it was based on (a stale one is refused). */
export const zReportPatch = zReportInput
	.partial()
	.extend({ version: z.number().int().min(1).optional() });

export interface SavedReport extends Omit<ReportInput, keyof DocumentMeta>, DocumentMeta {
	id: string;
	kind: 'sitrep';
	sections: ReportSection[];
	versions?: DocumentVersion[];
}
