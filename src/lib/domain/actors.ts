/**
 * Actor mapping vocabulary and input validation, shared by the API, the forms and the charts.
 * The lists mirror the check constraints in supabase/migrations/2026112200200*_actor*.sql.
 */
import { z } from 'zod';
import { UUID, zIsoDate } from './codes.ts';

export const ACTOR_TYPES = [
	'state_forces',
	'armed_group',
	'militia',
	'political_party',
	'authority',
	'health_authority',
	'un_agency',
	'ingo',
	'national_ngo',
	'community_leader',
	'religious_leader',
	'donor',
	'diaspora_association',
	'professional',
	'civilians',
	'unknown'
] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export const STANCES = ['supportive', 'neutral', 'hostile', 'unknown'] as const;
export type Stance = (typeof STANCES)[number];

export const RELATIONSHIP_KINDS = [
	'alliance',
	'rivalry',
	'armed_confrontation',
	'command_affiliation',
	'funding',
	'coordination',
	'negotiation_channel',
	'kinship',
	'membership'
] as const;
export type RelationshipKind = (typeof RELATIONSHIP_KINDS)[number];
/** The derived kind: incidents naming both actors. Never stored. */
export const CONFRONTED = 'confronted' as const;
export type EdgeKind = RelationshipKind | typeof CONFRONTED;
export const EDGE_KINDS: readonly EdgeKind[] = [...RELATIONSHIP_KINDS, CONFRONTED];

/** Kinds whose direction matters, so the form ticks "directed" for them. */
export const DIRECTED_KINDS: readonly RelationshipKind[] = [
	'command_affiliation',
	'funding',
	'membership'
];

export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export const DELETE_MODES = ['reassign', 'detach', 'delete'] as const;
export type DeleteMode = (typeof DELETE_MODES)[number];

/** Stance colours (colour-blind-safe: blue / grey / vermillion / light grey). */
export const STANCE_COLOURS: Record<Stance, string> = {
	supportive: '#0072b2',
	neutral: '#8a8a8a',
	hostile: '#d55e00',
	unknown: '#c8c8c8'
};

/** Edge colours by kind (Okabe–Ito plus greys). */
export const KIND_COLOURS: Record<EdgeKind, string> = {
	alliance: '#009e73',
	rivalry: '#e69f00',
	armed_confrontation: '#d55e00',
	command_affiliation: '#0072b2',
	funding: '#56b4e9',
	coordination: '#2ca25f',
	negotiation_channel: '#cc79a7',
	kinship: '#8c6d31',
	membership: '#6a51a3',
	confronted: '#b2182b'
};

/** Node shape per actor-type family, so type reads without colour (stance owns colour). */
export function typeFamily(t: string): 'state' | 'armed' | 'civil' | 'intl' | 'person' | 'other' {
	if (
		t === 'state_forces' ||
		t === 'authority' ||
		t === 'health_authority' ||
		t === 'political_party'
	)
		return 'state';
	if (t === 'armed_group' || t === 'militia') return 'armed';
	if (
		t === 'community_leader' ||
		t === 'religious_leader' ||
		t === 'civilians' ||
		t === 'national_ngo'
	)
		return 'civil';
	if (t === 'un_agency' || t === 'ingo' || t === 'donor' || t === 'diaspora_association')
		return 'intl';
	if (t === 'professional') return 'person';
	return 'other';
}

const isoDate = zIsoDate;

const optionalText = (max: number) =>
	z
		.string()
		.max(max, `must have at most ${max} characters`)
		.transform((s) => s.trim())
		.optional()
		.nullable();

const level = z
	.union([z.number(), z.string()])
	.transform((v) => (v === '' ? null : Number(v)))
	.refine(
		(v) => v === null || (Number.isInteger(v) && v >= 1 && v <= 5),
		'must be a whole number from 1 to 5'
	)
	.nullable()
	.optional();

const coordinate = (min: number, max: number) =>
	z
		.union([z.number(), z.string()])
		.transform((v) => (v === '' ? null : Number(v)))
		.refine(
			(v) => v === null || (Number.isFinite(v) && v >= min && v <= max),
			`must be between ${min} and ${max}`
		)
		.nullable()
		.optional();

const stringList = z
	.union([z.array(z.string()), z.string()])
	.transform((v) => (Array.isArray(v) ? v : v.split(/[\n;]/)).map((s) => s.trim()).filter(Boolean));

export const actorInput = z
	.object({
		name: z
			.string()
			.trim()
			.min(1, 'must not be empty')
			.max(300, 'must have at most 300 characters'),
		name_ar: optionalText(300),
		actor_type: z.enum(ACTOR_TYPES).default('unknown'),
		aliases: stringList.default([]),
		stance: z.enum(STANCES).default('unknown'),
		influence: level,
		interest: level,
		hq_lon: coordinate(-180, 180),
		hq_lat: coordinate(-90, 90),
		hq_label: optionalText(200),
		notes: z.string().max(20_000, 'must have at most 20000 characters').default(''),
		sources: stringList.default([]),
		allow_duplicate: z
			.union([z.boolean(), z.literal('on'), z.literal('true')])
			.optional()
			.transform((v) => v === true || v === 'on' || v === 'true')
	})
	.superRefine((v, ctx) => {
		if ((v.hq_lon == null) !== (v.hq_lat == null)) {
			ctx.addIssue({
				code: 'custom',
				path: ['hq_lat'],
				message: 'give both longitude and latitude, or neither'
			});
		}
	});
export type ActorInput = z.output<typeof actorInput>;
/** The fields a PATCH may send (the stored actor supplies the others). */
export const ACTOR_FIELDS = [
	'name',
	'name_ar',
	'actor_type',
	'aliases',
	'stance',
	'influence',
	'interest',
	'hq_lon',
	'hq_lat',
	'hq_label',
	'notes',
	'sources',
	'allow_duplicate'
] as const;

const actorId = z
	.string()
	.regex(UUID, 'expected an actor id')
	.transform((s) => s.toLowerCase());

export function actorArgs(v: ActorInput, id?: string): Record<string, unknown> {
	return {
		p_id: id,
		p_name: v.name,
		p_name_ar: v.name_ar || null,
		p_actor_type: v.actor_type,
		p_aliases: v.aliases,
		p_stance: v.stance,
		p_influence: v.influence ?? null,
		p_interest: v.interest ?? null,
		p_hq_lon: v.hq_lon ?? null,
		p_hq_lat: v.hq_lat ?? null,
		p_hq_label: v.hq_label || null,
		p_notes: v.notes,
		p_sources: v.sources,
		p_allow_duplicate: v.allow_duplicate
	};
}

export const relationshipInput = z
	.object({
		source_actor_id: actorId,
		target_actor_id: actorId,
		kind: z.enum(RELATIONSHIP_KINDS),
		directed: z
			.union([z.boolean(), z.literal('on'), z.literal('true'), z.literal('false')])
			.optional()
			.transform((v) => v === true || v === 'on' || v === 'true'),
		valid_from: isoDate
			.optional()
			.nullable()
			.or(z.literal('').transform(() => null)),
		valid_to: isoDate
			.optional()
			.nullable()
			.or(z.literal('').transform(() => null)),
		confidence: z.enum(CONFIDENCES).default('medium'),
		source: z.string().max(1000).default(''),
		notes: z.string().max(10_000).default('')
	})
	.superRefine((v, ctx) => {
		if (v.source_actor_id === v.target_actor_id) {
			ctx.addIssue({
				code: 'custom',
				path: ['target_actor_id'],
				message: 'an actor cannot have a relationship with itself'
			});
		}
		if (v.valid_from && v.valid_to && v.valid_to < v.valid_from) {
			ctx.addIssue({
				code: 'custom',
				path: ['valid_to'],
				message: `the end (${v.valid_to}) is before the start (${v.valid_from})`
			});
		}
	});
export type RelationshipInput = z.output<typeof relationshipInput>;
/** The fields a relationship PATCH may send (the stored relationship supplies the others). */
export const RELATIONSHIP_FIELDS = [
	'source_actor_id',
	'target_actor_id',
	'kind',
	'directed',
	'valid_from',
	'valid_to',
	'confidence',
	'source',
	'notes'
] as const;

export function relationshipArgs(v: RelationshipInput, id?: string): Record<string, unknown> {
	return {
		p_id: id,
		p_source_actor_id: v.source_actor_id,
		p_target_actor_id: v.target_actor_id,
		p_kind: v.kind,
		p_directed: v.directed,
		p_valid_from: v.valid_from ?? null,
		p_valid_to: v.valid_to ?? null,
		p_confidence: v.confidence,
		p_source: v.source,
		p_notes: v.notes
	};
}

/** Field errors as {field: message}, from a zod failure. */
export function fieldErrors(err: z.ZodError): Record<string, string> {
	const out: Record<string, string> = {};
	for (const i of err.issues) {
		const key = i.path.length ? i.path.map(String).join('.') : 'body';
		out[key] ??= i.message;
	}
	return out;
}

/**
 * SQL functions raise field errors as "field: message" (SQLSTATE 22023). Splits one into its
 * parts, or null for any other message.
 */
export function splitFieldMessage(message: string): { field: string; message: string } | null {
	const m = /^([a-z_]+(?:\[\d+\](?:\.[a-z_]+)?)?): (.+)$/s.exec(message);
	return m ? { field: m[1], message: m[2] } : null;
}

// ---------------------------------------------------------------------------------------------
// Shapes the SQL functions answer with.

export interface Actor {
	id: string;
	name: string;
	name_ar: string | null;
	actor_type: ActorType;
	aliases: string[];
	stance: Stance;
	influence: number | null;
	interest: number | null;
	hq_lon: number | null;
	hq_lat: number | null;
	hq_label: string | null;
	notes: string;
	sources: string[];
	upstream_source: string | null;
	created_at: string;
	updated_at: string;
}

export interface ActorListItem extends Actor {
	relationships: number;
	incidents: number;
}

export interface RelationshipRow {
	id: string;
	source_actor_id: string;
	target_actor_id: string;
	kind: RelationshipKind;
	directed: boolean;
	valid_from: string | null;
	valid_to: string | null;
	confidence: 'low' | 'medium' | 'high';
	source: string;
	notes: string;
}

export interface ActorProfile extends Actor {
	areas: string[];
	presence: {
		id: string;
		pcode: string | null;
		area_name: string | null;
		area_name_ar: string | null;
		label: string;
		drawn: boolean;
		valid_from: string | null;
		valid_to: string | null;
	}[];
	relationships: (RelationshipRow & {
		other_id: string;
		other_name: string;
		other_type: string;
		outgoing: boolean;
	})[];
	confrontations: {
		other_id: string;
		other_name: string;
		incidents: number;
		fatalities: number;
		first_date: string;
		last_date: string;
	}[];
	incident_counts: {
		total: number;
		fatalities: number;
		first_date: string | null;
		last_date: string | null;
		by_type: Record<string, number>;
	};
	incidents: {
		id: string;
		event_date: string;
		event_type: string;
		fatalities: number;
		location_name: string | null;
		admin1_pcode: string | null;
		other_name: string | null;
	}[];
}

export interface Dependents {
	id: string;
	relationships: number;
	contacts: number | null;
	incidents: number;
	checkpoints: number;
	presence: number;
}
