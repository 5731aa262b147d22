/**
 * The risk register (supabase/schemas/84_reports.sql): categories, the 5 × 5 matrix's bands and
 * the zod schema every write is checked against (API and pages alike).
 */
import { z } from 'zod';
import { isIsoDate, PCODE, UUID } from './codes.ts';

export const THREAT_CATEGORIES = [
	'armed_conflict',
	'ied_terrorism',
	'crime',
	'civil_unrest',
	'kidnapping',
	'road_safety',
	'health',
	'natural_hazard',
	'other'
] as const;
export type ThreatCategory = (typeof THREAT_CATEGORIES)[number];
export const RISK_SCOPES = ['base', 'area', 'programme'] as const;

/** Risk = likelihood × impact, banded as the usual 5 × 5 matrix colours it. */
export function riskBand(score: number): 'low' | 'medium' | 'high' | 'critical' {
	if (score >= 15) return 'critical';
	if (score >= 10) return 'high';
	if (score >= 5) return 'medium';
	return 'low';
}
export const BAND_COLOURS = {
	low: '#1b7837',
	medium: '#f6c141',
	high: '#e8601c',
	critical: '#b2182b'
} as const;

const scale = (name: string) =>
	z
		.number({ error: `${name}: a whole number from 1 to 5` })
		.int(`a whole number from 1 to 5`)
		.min(1, 'must be from 1 to 5')
		.max(5, 'must be from 1 to 5');
const day = z.string().refine(isIsoDate, 'expected a date as YYYY-MM-DD');

export const zMitigation = z.object({
	action: z.string().trim().min(1, 'required').max(2000),
	owner: z.string().max(200).default(''),
	due_date: day.nullable().optional(),
	done: z.boolean().optional()
});

const fields = {
	title: z.string().trim().min(1, 'required').max(300),
	scope: z.enum(RISK_SCOPES),
	base_id: z.string().regex(UUID, 'a site id').nullable().optional(),
	area_pcode: z.string().regex(PCODE, 'a P-code such as IQG09').nullable().optional(),
	programme: z.string().max(200).nullable().optional(),
	threat_category: z.enum(THREAT_CATEGORIES),
	vulnerability: z.string().max(5000).optional(),
	likelihood: scale('likelihood'),
	impact: scale('impact'),
	likelihood_reason: z.string().max(2000).nullable().optional(),
	residual_likelihood: scale('residual_likelihood').nullable().optional(),
	residual_impact: scale('residual_impact').nullable().optional(),
	review_date: day.nullable().optional(),
	mitigations: z.array(zMitigation).max(50).optional(),
	/** The date the likelihood is suggested for (default today). */
	as_of: day.optional()
};
export const zRiskInput = z.object(fields).strict();
export const zRiskPatch = z
	.object(fields)
	.partial()
	.extend({ version: z.number().int().min(1).optional() })
	.strict();
export type RiskInput = z.infer<typeof zRiskInput>;

export interface RiskSuggestion {
	category: ThreatCategory;
	area: string;
	available: boolean;
	reason?: string;
	types?: string[];
	window?: { from: string; to: string; weeks: number };
	n_52w?: number;
	n_13w?: number;
	n_prior_39w?: number;
	rate_per_week?: number;
	lambda_30d?: number;
	p_30d?: number;
	trend?: 'rising' | 'falling' | 'stable';
	suggested: number | null;
	formula?: string;
}

export interface Risk extends Omit<RiskInput, 'mitigations' | 'as_of'> {
	id: string;
	score: number;
	residual_score: number | null;
	likelihood_suggested: number | null;
	suggestion: RiskSuggestion | null;
	accepted_by: string | null;
	accepted_by_name: string | null;
	accepted_at: string | null;
	version: number;
	author: string;
	base_name: string | null;
	area_name_en: string | null;
	area_name_ar: string | null;
	created_at: string;
	updated_at: string;
	mitigations: {
		id: string;
		action: string;
		owner: string;
		due_date: string | null;
		done: boolean;
	}[];
	history?: { version: number; changed_at: string; changed_by: string; content: Partial<Risk> }[];
}
