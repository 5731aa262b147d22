/**
 * Area assessment: the question a profile answers (zod, shared by the API and the page), the
 * site-selection score of the compare view, and what changed between a saved snapshot and a
 * re-run. Pure: the numbers come from the SQL profile (supabase/schemas/82_assessments.sql).
 */
import { z } from 'zod';
import { zPcode } from './codes.ts';

/** GeoJSON as sent: SQL checks its type, validity (self-intersection), surface and vertex cap. */
const geometry = z
	.object({ type: z.string(), coordinates: z.array(z.unknown()) })
	.passthrough()
	.or(
		z
			.object({
				type: z.literal('Feature'),
				geometry: z.object({ type: z.string(), coordinates: z.array(z.unknown()) }).passthrough()
			})
			.passthrough()
	);

export const assessmentQuery = z
	.object({
		area: zPcode.optional(),
		geometry: geometry.optional(),
		buffer_km: z.number().gt(0).max(100).optional(),
		as_of: z.iso.date().optional()
	})
	.strict()
	.refine((q) => (q.area === undefined) !== (q.geometry === undefined), {
		message: 'give either an admin area P-code (area) or a GeoJSON geometry, not both or neither',
		path: ['area']
	});

export type AssessmentQuery = z.infer<typeof assessmentQuery>;

export const assessmentCreate = z
	.object({
		title: z.string().trim().min(1).max(200),
		query: assessmentQuery,
		notes: z.string().max(50_000).optional()
	})
	.strict();

export const assessmentPatch = z
	.object({
		title: z.string().trim().min(1).max(200).optional(),
		notes: z.string().max(50_000).optional(),
		status: z.enum(['draft', 'final']).optional(),
		refresh: z.boolean().optional()
	})
	.strict();

// ---------------------------------------------------------------------------------------------
// Compare candidates (site selection)

/** The profile fields the comparison reads (a subset of the SQL answer). */
export interface ProfileNumbers {
	incidents: { total: number; last_12_months: number };
	population?: { value: number | null } | null;
	security_levels?: { level_of_area: number; current?: { level: number } | null }[];
	nearest?: { hibernation_site?: { km: number } | null; hospital?: { km: number } | null };
	camps: { count: number; population: number };
	checkpoints: { status: string }[];
}

export const INDICATORS = [
	'incidents_per_10k',
	'security_level',
	'hibernation_km',
	'hospital_km',
	'camp_population',
	'access'
] as const;
export type Indicator = (typeof INDICATORS)[number];

/** Lower is better for these; higher for the others. */
const LOWER_BETTER: ReadonlySet<Indicator> = new Set([
	'incidents_per_10k',
	'security_level',
	'hibernation_km',
	'hospital_km'
]);

export type Weights = Record<Indicator, number>;
export const DEFAULT_WEIGHTS: Weights = {
	incidents_per_10k: 3,
	security_level: 3,
	hibernation_km: 2,
	hospital_km: 1,
	camp_population: 2,
	access: 2
};

/** The raw indicator values of one profile; null where the data is missing. */
export function indicators(p: ProfileNumbers): Record<Indicator, number | null> {
	const pop = p.population?.value ?? null;
	// The level in force of the finest covered area (a district's over its governorate's).
	const levels = (p.security_levels ?? [])
		.filter((l) => l.current?.level != null)
		.sort((a, b) => b.level_of_area - a.level_of_area);
	const cps = p.checkpoints ?? [];
	return {
		incidents_per_10k:
			pop && pop > 0 ? Math.round((p.incidents.last_12_months / pop) * 10_000 * 100) / 100 : null,
		security_level: levels[0]?.current?.level ?? null,
		hibernation_km: p.nearest?.hibernation_site?.km ?? null,
		hospital_km: p.nearest?.hospital?.km ?? null,
		camp_population: p.camps?.population ?? 0,
		// Share of checkpoints in the area that are open (no checkpoint: unobstructed, 1).
		access: cps.length === 0 ? 1 : cps.filter((c) => c.status === 'open').length / cps.length
	};
}

export class WeightsError extends Error {}

export interface Scored {
	values: Record<Indicator, number | null>;
	/** Each indicator's share of the score, in points (they add up to the score). */
	parts: Record<Indicator, number>;
	score: number;
}

/**
 * Weighted score out of 100. Each indicator is scaled over the candidates (best 1, worst 0;
 * all equal: 1), multiplied by its weight over the sum of weights. A missing value scores 0.
 * Weights must be ≥ 0 and not all 0.
 */
export function score(profiles: ProfileNumbers[], weights: Weights): Scored[] {
	for (const k of INDICATORS) {
		const w = weights[k];
		if (!Number.isFinite(w) || w < 0) throw new WeightsError(`${k}: a weight must be 0 or more`);
	}
	const total = INDICATORS.reduce((s, k) => s + weights[k], 0);
	if (total === 0) throw new WeightsError('weights: they sum to zero');
	const vals = profiles.map(indicators);
	const range = Object.fromEntries(
		INDICATORS.map((k) => {
			const xs = vals.map((v) => v[k]).filter((x): x is number => x !== null);
			return [k, [Math.min(...xs), Math.max(...xs)]];
		})
	) as Record<Indicator, [number, number]>;
	return vals.map((v) => {
		const parts = {} as Record<Indicator, number>;
		for (const k of INDICATORS) {
			const x = v[k];
			const [lo, hi] = range[k];
			let n = 0;
			if (x !== null)
				n = hi === lo ? 1 : LOWER_BETTER.has(k) ? (hi - x) / (hi - lo) : (x - lo) / (hi - lo);
			parts[k] = Math.round(((weights[k] * n) / total) * 1000) / 10;
		}
		const s = INDICATORS.reduce((acc, k) => acc + parts[k], 0);
		return { values: v, parts, score: Math.round(s * 10) / 10 };
	});
}

// ---------------------------------------------------------------------------------------------
// What changed between a saved snapshot and a re-run

export interface Change {
	key: string;
	before: string | number | null;
	after: string | number | null;
}

type Loose = Record<string, unknown>;
const at = (o: unknown, path: string): unknown =>
	path
		.split('.')
		.reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Loose)[k] : undefined), o);

const NUMBERS = [
	'incidents.total',
	'incidents.last_12_months',
	'incidents.fatalities',
	'incidents.serious_total',
	'camps.count',
	'camps.population',
	'health_facilities.count',
	'contacts.count',
	'population.value'
];

/** The figures, levels, checkpoint statuses and actors that differ, in a stable order. */
export function changes(before: unknown, after: unknown): Change[] {
	const out: Change[] = [];
	for (const k of NUMBERS) {
		const b = (at(before, k) as number | null | undefined) ?? null;
		const a = (at(after, k) as number | null | undefined) ?? null;
		if (b !== a) out.push({ key: k, before: b, after: a });
	}
	const byKey = <T>(xs: unknown, key: string) =>
		new Map(((Array.isArray(xs) ? xs : []) as Loose[]).map((x) => [String(x[key]), x as T]));
	const lb = byKey<Loose>(at(before, 'security_levels'), 'pcode');
	for (const [pcode, l] of byKey<Loose>(at(after, 'security_levels'), 'pcode')) {
		const b = (at(lb.get(pcode), 'current.level') as number | undefined) ?? null;
		const a = (at(l, 'current.level') as number | undefined) ?? null;
		if (b !== a) out.push({ key: `security_level.${pcode}`, before: b, after: a });
	}
	const cb = byKey<Loose>(at(before, 'checkpoints'), 'id');
	const ca = byKey<Loose>(at(after, 'checkpoints'), 'id');
	for (const [id, c] of ca) {
		const b = cb.get(id);
		if (!b) out.push({ key: `checkpoint.${c.name}`, before: null, after: String(c.status) });
		else if (b.status !== c.status)
			out.push({ key: `checkpoint.${c.name}`, before: String(b.status), after: String(c.status) });
	}
	for (const [id, c] of cb)
		if (!ca.has(id))
			out.push({ key: `checkpoint.${c.name}`, before: String(c.status), after: null });
	const ab = byKey<Loose>(at(before, 'actors'), 'id');
	const aa = byKey<Loose>(at(after, 'actors'), 'id');
	for (const [id, x] of aa)
		if (!ab.has(id)) out.push({ key: `actor.${x.name}`, before: null, after: 'present' });
	for (const [id, x] of ab)
		if (!aa.has(id)) out.push({ key: `actor.${x.name}`, before: 'present', after: null });
	return out;
}

/**
 * An area's community profile as public.area_community_get returns it: loaded by the area page
 * and shown and edited by its CommunityForm, so the two read one definition.
 */
export interface CommunityProfile {
	population: number | null;
	population_source: string | null;
	population_date: string | null;
	idps: number | null;
	returnees: number | null;
	composition: string;
	marginalised_groups: string;
	acceptance_issues: string;
	languages: string[];
	notes: string;
	updated_by_name?: string | null;
	updated_at?: string;
}
