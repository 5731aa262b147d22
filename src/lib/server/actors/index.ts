/**
 * Actors and relationships, server side: a few small functions over the SQL functions of the
 * actor migrations, shared by the pages and /api/v1. Each runs as the signed-in user, so RLS
 * decides what they see and may change.
 */
import { rpc, type CallerUser } from '../db/index.ts';
import { DuplicateActorError, withFieldErrors } from '../db/errors.ts';
import {
	type Actor,
	type ActorListItem,
	type ActorProfile,
	type DeleteMode,
	type Dependents
} from '../../domain/actors.ts';
import type { NetworkPayload } from '../../domain/actors-graph.ts';

export interface ActorFilters {
	q?: string | null;
	types?: string[] | null;
	stances?: string[] | null;
	area?: string | null;
	limit?: number;
	offset?: number;
}

export function listActors(user: CallerUser, f: ActorFilters = {}) {
	return rpc<{ total: number; actors: ActorListItem[] }>(
		'actors_list',
		{
			p_q: f.q || null,
			p_types: f.types?.length ? f.types : null,
			p_stances: f.stances?.length ? f.stances : null,
			p_area: f.area || null,
			p_limit: f.limit ?? 200,
			p_offset: f.offset ?? 0
		},
		user
	);
}

/** Every actor's id, name and type, for pickers (no counts: cheap with thousands of actors). */
export function actorNames(user: CallerUser) {
	return rpc<{ id: string; name: string; actor_type: string }[]>('actor_names', {}, user);
}

export function getActor(user: CallerUser, id: string, incidents = 20) {
	return rpc<ActorProfile | null>('actor_get', { p_id: id, p_incidents: incidents }, user);
}

export function actorDuplicates(
	user: CallerUser,
	name: string,
	aliases: string[] = [],
	nameAr: string | null = null,
	exclude?: string
) {
	return rpc<
		{ id: string; name: string; actor_type: string; aliases: string[]; matched: string[] }[]
	>(
		'actor_duplicates',
		{ p_name: name, p_aliases: aliases, p_name_ar: nameAr, p_exclude: exclude },
		user
	);
}

// Re-exported: the actor pages and API catch the duplicate error from here.
export { DuplicateActorError, withFieldErrors };

export function saveActor(user: CallerUser, args: Record<string, unknown>) {
	return withFieldErrors(rpc<Actor>('actor_save', args, user));
}

export function actorDependents(user: CallerUser, id: string) {
	return rpc<Dependents | null>('actor_dependents', { p_id: id }, user);
}

export function deleteActor(
	user: CallerUser,
	id: string,
	mode: DeleteMode | null,
	targetId: string | null
) {
	return withFieldErrors(
		rpc<Record<string, unknown>>(
			'actor_delete',
			{ p_id: id, p_mode: mode, p_target_id: targetId },
			user
		)
	);
}

export function actorNetwork(user: CallerUser) {
	return rpc<NetworkPayload>('actor_network', {}, user);
}

export function relationshipsAsOf(
	user: CallerUser,
	date: string | null,
	kinds: string[] | null,
	actorId: string | null
) {
	return rpc<{ as_of: string | null; relationships: unknown[]; confrontations: unknown[] }>(
		'relationships_as_of',
		{
			p_date: date,
			p_kinds: kinds?.length ? kinds : null,
			p_actor_id: actorId
		},
		user
	);
}

export function neighbourhood(
	user: CallerUser,
	actorId: string,
	hops: number,
	asOf: string | null
) {
	return rpc('actor_neighbourhood', { p_actor_id: actorId, p_hops: hops, p_as_of: asOf }, user);
}

export function saveRelationship(user: CallerUser, args: Record<string, unknown>) {
	return withFieldErrors(rpc<{ id: string }>('relationship_save', args, user));
}

/** One relationship as stored (null when it does not exist or is not visible). */
export function getRelationship(user: CallerUser, id: string) {
	return rpc<Record<string, unknown> | null>('relationship_get', { p_id: id }, user);
}

export function removeRelationship(user: CallerUser, id: string) {
	return rpc('relationship_remove', { p_id: id }, user);
}

export function addPresence(user: CallerUser, args: Record<string, unknown>) {
	return withFieldErrors(rpc<{ id: string }>('actor_presence_add', args, user));
}

export function removePresence(user: CallerUser, id: string) {
	return rpc('actor_presence_remove', { p_id: id }, user);
}

export function presenceGeojson(
	user: CallerUser,
	f: { actorIds?: string[] | null; types?: string[] | null; asOf?: string | null }
) {
	return rpc(
		'actor_presence_geojson',
		{
			p_actor_ids: f.actorIds?.length ? f.actorIds : null,
			p_types: f.types?.length ? f.types : null,
			p_as_of: f.asOf ?? null
		},
		user
	);
}

export function relationshipArcs(
	user: CallerUser,
	f: {
		asOf?: string | null;
		kinds?: string[] | null;
		types?: string[] | null;
		area?: string | null;
	}
) {
	return rpc<unknown[][]>(
		'relationship_arcs',
		{
			p_as_of: f.asOf ?? null,
			p_kinds: f.kinds?.length ? f.kinds : null,
			p_types: f.types?.length ? f.types : null,
			p_area: f.area ?? null
		},
		user
	);
}

export function powerInterest(
	user: CallerUser,
	f: { types?: string[] | null; area?: string | null }
) {
	return rpc<
		{
			id: string;
			name: string;
			name_ar: string | null;
			actor_type: string;
			stance: string;
			influence: number;
			interest: number;
		}[]
	>(
		'actors_power_interest',
		{ p_types: f.types?.length ? f.types : null, p_area: f.area ?? null },
		user
	);
}
