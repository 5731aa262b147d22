// The shapes of the actor endpoints the map reads, and the join that gives each arc its actors' ids.
import type { EdgeKind } from '../../domain/actors.ts';
import type { FeatureCollection } from '../types.ts';

/** One row of GET /api/v1/actors/arcs. */
export type ArcRow = [
	srcLon: number,
	srcLat: number,
	dstLon: number,
	dstLat: number,
	kind: EdgeKind,
	directed: boolean,
	weight: number,
	srcName: string,
	dstName: string,
	id: string | null
];

/** GET /api/v1/relationships?as_of=…: what stands on the date, with both actors' ids. */
export interface RelationshipsAsOf {
	relationships: {
		id: string;
		source_actor_id: string;
		target_actor_id: string;
		source_name: string;
		target_name: string;
		kind: string;
	}[];
	confrontations: {
		source_actor_id: string;
		target_actor_id: string;
		source_name: string;
		target_name: string;
		incidents: number;
		fatalities: number;
		first_date: string;
		last_date: string;
	}[];
}

export interface EnrichedArc {
	source: [number, number];
	target: [number, number];
	kind: EdgeKind;
	directed: boolean;
	weight: number;
	sourceName: string;
	targetName: string;
	sourceId: string | null;
	targetId: string | null;
	/** What a click selects: the relationship's id, or "<actor a>~<actor b>" for a confrontation. */
	key: string | null;
	/** Confrontations only. */
	fatalities: number | null;
	firstDate: string | null;
	lastDate: string | null;
}

/**
 * Joins the arcs to the relationships standing on the same date: a stored relationship by its id,
 * a confrontation (no id) by its two actors' names, which the SQL orders the same way in both
 * answers (by actor id). An arc with no match keeps null ids (it still draws and names both ends).
 */
export function enrichArcs(rows: ArcRow[], known: RelationshipsAsOf): EnrichedArc[] {
	const byId = new Map(known.relationships.map((r) => [r.id, r]));
	const byNames = new Map<string, RelationshipsAsOf['confrontations'][number]>();
	for (const c of known.confrontations) {
		const k = `${c.source_name}\u0000${c.target_name}`;
		// Two pairs with the same names (namesakes): ambiguous, so neither gets ids.
		byNames.set(k, byNames.has(k) ? (null as never) : c);
	}
	return rows.map(([sx, sy, tx, ty, kind, directed, weight, sourceName, targetName, id]) => {
		const base = {
			source: [Number(sx), Number(sy)] as [number, number],
			target: [Number(tx), Number(ty)] as [number, number],
			kind,
			directed: !!directed,
			weight: Number(weight),
			sourceName,
			targetName
		};
		if (id) {
			const r = byId.get(id);
			return {
				...base,
				sourceId: r?.source_actor_id ?? null,
				targetId: r?.target_actor_id ?? null,
				key: id,
				fatalities: null,
				firstDate: null,
				lastDate: null
			};
		}
		const c = byNames.get(`${sourceName}\u0000${targetName}`) ?? null;
		return {
			...base,
			sourceId: c?.source_actor_id ?? null,
			targetId: c?.target_actor_id ?? null,
			key: c ? `${c.source_actor_id}~${c.target_actor_id}` : null,
			fatalities: c ? Number(c.fatalities) : null,
			firstDate: c?.first_date ?? null,
			lastDate: c?.last_date ?? null
		};
	});
}

export interface PresenceProperties {
	presence_id: string;
	actor_id: string;
	name: string;
	name_ar: string | null;
	actor_type: string;
	stance: string;
	pcode: string | null;
	area_name: string | null;
	area_name_ar: string | null;
	label: string;
	valid_from: string | null;
	valid_to: string | null;
	drawn: boolean;
}
export type PresenceCollection = FeatureCollection<
	PresenceProperties,
	{ type: string; coordinates: unknown }
>;
