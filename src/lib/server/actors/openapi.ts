/**
 * The OpenAPI paths of the actor and relationship routes, spread into the document of
 * $lib/server/api/openapi.ts (`paths: { …, ...actorPaths }`). Responses reference the shared
 * components (Unauthorized, BadRequest, Forbidden, NotFound, Conflict, Error); the contact routes
 * have their own file beside their code (contacts/openapi.ts).
 */
import type { Method, Operation } from '../api/openapi-types.ts';
import { ACTOR_TYPES, DELETE_MODES, EDGE_KINDS, STANCES } from '../../domain/actors.ts';
import {
	answers,
	arrayAnswer,
	created,
	jsonBody,
	listParam,
	objectAnswer,
	op,
	pageParams,
	pathId,
	query
} from '../api/openapi-kit.ts';
import { contactPaths } from '../contacts/openapi.ts';

const asOf = query('as_of', 'Show the network as it stood on this day (YYYY-MM-DD).', {
	type: 'string',
	format: 'date'
});
const area = query('area', 'A P-code: actors present there, at any level.');

export const actorTags = [
	{ name: 'actors', description: 'Actor mapping: actors, presence, relationships, the network' },
	{ name: 'contacts', description: 'Contacts (need-to-know, every read audited; viewers get 403)' }
];

export const actorPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/actors': {
		get: op('listActors', 'The actor registry', ['actors'], {
			parameters: [
				query('q', 'Any name or alias; case, diacritics and Arabic spelling variants ignored.'),
				listParam('type', ACTOR_TYPES, 'Actor types.'),
				listParam('stance', STANCES, 'Stances towards us.'),
				area,
				...pageParams
			],
			responses: answers(objectAnswer('{total, actors}'), '400')
		}),
		post: op(
			'createActor',
			'Adds an actor; 409 with `duplicates` when it looks like one that exists',
			['actors'],
			{
				requestBody: jsonBody(
					'name, actor_type, name_ar, aliases, stance, influence (1–5), interest (1–5), hq_lon, hq_lat, hq_label, notes (markdown), sources, allow_duplicate'
				),
				responses: created(objectAnswer('The actor'), '400', '403', '409')
			}
		)
	},
	'/actors/{id}': {
		get: op(
			'getActor',
			'An actor: profile, presence, relationships, derived confrontations, incidents',
			['actors'],
			{
				parameters: [
					pathId('Actor id'),
					query('incidents', 'How many of the latest incidents to list.', {
						type: 'integer',
						minimum: 0,
						maximum: 500
					})
				],
				responses: answers(objectAnswer('The actor profile'), '400', '404')
			}
		),
		post: op(
			'updateActor',
			'Replaces an actor’s fields (analysts, admins): fields not sent take their defaults (empty aliases, notes…). Use PATCH to change some fields only',
			['actors'],
			{
				parameters: [pathId('Actor id')],
				requestBody: jsonBody('As for createActor'),
				responses: answers(objectAnswer('The actor'), '400', '403', '409')
			}
		),
		patch: op(
			'patchActor',
			'Changes the fields sent (analysts, admins); fields not sent stay as they are (merge semantics)',
			['actors'],
			{
				parameters: [pathId('Actor id')],
				requestBody: jsonBody('Any of the fields of createActor'),
				responses: answers(objectAnswer('The actor'), '400', '403', '404', '409')
			}
		),
		delete: op(
			'deleteActor',
			'Deletes an actor (admins); `mode` says what happens to what depends on it',
			['actors'],
			{
				parameters: [
					pathId('Actor id'),
					{
						name: 'mode',
						in: 'query',
						schema: { type: 'string', enum: DELETE_MODES },
						description: 'reassign (to target), detach or delete'
					},
					query('target', 'Actor to reassign to.', { type: 'string', format: 'uuid' })
				],
				responses: answers(objectAnswer('What was done'), '400', '403', '404')
			}
		)
	},
	'/actors/{id}/presence': {
		post: op(
			'addActorPresence',
			'Maps where an actor is present (analysts, admins): an admin area or a drawn polygon',
			['actors'],
			{
				parameters: [pathId('Actor id')],
				requestBody: jsonBody(
					'pcode (an admin area) or geometry (a GeoJSON Polygon or MultiPolygon), label, notes, valid_from, valid_to'
				),
				responses: created(objectAnswer('The presence'), '400', '403')
			}
		)
	},
	'/actors/{id}/presence/{presence}': {
		delete: op(
			'removeActorPresence',
			'Removes one presence area of an actor (analysts, admins)',
			['actors'],
			{
				parameters: [
					pathId('Actor id'),
					{
						name: 'presence',
						in: 'path',
						required: true,
						description: 'Presence id',
						schema: { type: 'string', format: 'uuid' }
					}
				],
				responses: answers(objectAnswer('{id, removed}'), '400', '403')
			}
		)
	},
	'/actors/network': {
		get: op('actorNetwork', 'The whole network in compact arrays, dates included', ['actors'], {
			responses: answers(objectAnswer('{nodes, edges, confrontations}'))
		})
	},
	'/actors/presence': {
		get: op('actorPresence', 'Presence areas and drawn polygons as GeoJSON', ['actors'], {
			parameters: [
				query('actor', 'One actor.', { type: 'string', format: 'uuid' }),
				listParam('type', ACTOR_TYPES, 'Actor types.'),
				asOf
			],
			responses: answers(
				{
					description: 'FeatureCollection',
					content: { 'application/geo+json': { schema: { type: 'object' } } }
				},
				'400'
			)
		})
	},
	'/actors/arcs': {
		get: op(
			'relationshipArcs',
			'Arcs between related actors’ locations, for a deck.gl ArcLayer',
			['actors'],
			{
				parameters: [
					asOf,
					listParam(
						'kind',
						EDGE_KINDS,
						'Relationship kinds (confronted = derived from incidents).'
					),
					listParam('type', ACTOR_TYPES, 'Actor types.'),
					area
				],
				responses: answers(
					arrayAnswer(
						'[source lon, source lat, target lon, target lat, kind, directed, weight, source name, target name, id]'
					),
					'400'
				)
			}
		)
	},
	'/relationships': {
		get: op(
			'relationshipsAsOf',
			'Relationships standing on a date, and confrontations derived from incidents',
			['actors'],
			{
				parameters: [
					asOf,
					listParam('kind', EDGE_KINDS, 'Kinds.'),
					query('actor', 'Involving this actor.', { type: 'string', format: 'uuid' })
				],
				responses: answers(objectAnswer('{as_of, relationships, confrontations}'), '400')
			}
		),
		post: op('createRelationship', 'Maps a relationship (analysts, admins)', ['actors'], {
			requestBody: jsonBody(
				'source_actor_id, target_actor_id, kind, directed, valid_from, valid_to, confidence (low/medium/high), source, notes'
			),
			responses: created(objectAnswer('The relationship'), '400', '403')
		})
	},
	'/relationships/{id}': {
		post: op(
			'updateRelationship',
			'Replaces a relationship’s fields (analysts, admins); fields not sent take their defaults. Use PATCH to change some only',
			['actors'],
			{
				parameters: [pathId('Relationship id')],
				requestBody: jsonBody('As for createRelationship'),
				responses: answers(objectAnswer('The relationship'), '400', '403')
			}
		),
		patch: op(
			'patchRelationship',
			'Changes the fields sent (analysts, admins); the others stay as they are',
			['actors'],
			{
				parameters: [pathId('Relationship id')],
				requestBody: jsonBody('Any of the fields of createRelationship'),
				responses: answers(objectAnswer('The relationship'), '400', '403', '404')
			}
		),
		delete: op('deleteRelationship', 'Removes a relationship (analysts, admins)', ['actors'], {
			parameters: [pathId('Relationship id')],
			responses: answers(objectAnswer('{id, removed}'), '400', '403')
		})
	},
	...contactPaths
};
