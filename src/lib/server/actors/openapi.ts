/**
 * The OpenAPI paths of the actor, relationship and contact routes, spread into the document of
 * $lib/server/api/openapi.ts (`paths: { …, ...actorPaths }`). Responses reference the shared
 * components (Unauthorized, BadRequest, Forbidden, NotFound, Conflict, Error).
 */
import type { Method, Operation, Parameter } from '../api/openapi-types.ts';
import { ACTOR_TYPES, DELETE_MODES, EDGE_KINDS, STANCES } from '../../domain/actors.ts';
import { SENSITIVITIES } from '../../domain/contacts.ts';

type Ref = { $ref: string };
const r = (name: string): Ref => ({ $ref: `#/components/responses/${name}` });
const obj = (description: string) => ({
	description,
	content: { 'application/json': { schema: { type: 'object' } } }
});
const arr = (description: string) => ({
	description,
	content: { 'application/json': { schema: { type: 'array' } } }
});

function ok(
	status: '200' | '201',
	body: {
		description: string;
		content: Record<string, { schema: { type: string; [k: string]: unknown } }>;
	},
	...extra: ('400' | '403' | '404' | '409')[]
) {
	const names = {
		'400': 'BadRequest',
		'403': 'Forbidden',
		'404': 'NotFound',
		'409': 'Conflict'
	} as const;
	return {
		[status]: body,
		'401': r('Unauthorized'),
		...Object.fromEntries(extra.map((c) => [c, r(names[c])]))
	};
}

const q = (
	name: string,
	description: string,
	schema: Parameter['schema'] = { type: 'string' }
): Parameter => ({ name, in: 'query', description, schema });
const list = (name: string, values: readonly string[], description: string): Parameter => ({
	name,
	in: 'query',
	description: `${description} Repeat or separate with commas.`,
	style: 'form',
	explode: true,
	schema: { type: 'array', items: { type: 'string', enum: values } }
});
const id = (description: string): Parameter => ({
	name: 'id',
	in: 'path',
	required: true,
	description,
	schema: { type: 'string', format: 'uuid' }
});
const asOf = q('as_of', 'Show the network as it stood on this day (YYYY-MM-DD).', {
	type: 'string',
	format: 'date'
});
const area = q('area', 'A P-code: actors present there, at any level.');
const body = (description: string) => ({
	required: true,
	content: { 'application/json': { schema: { type: 'object', description } } }
});
const page = [
	q('limit', 'Page size.', { type: 'integer', minimum: 1 }),
	q('offset', 'Rows to skip.', { type: 'integer', minimum: 0 })
];

const op = (
	operationId: string,
	summary: string,
	tags: string[],
	rest: Partial<Operation>
): Operation => ({ operationId, summary, tags, responses: {}, ...rest }) as Operation;

export const actorTags = [
	{ name: 'actors', description: 'Actor mapping: actors, presence, relationships, the network' },
	{ name: 'contacts', description: 'Contacts (need-to-know, every read audited; viewers get 403)' }
];

export const actorPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/actors': {
		get: op('listActors', 'The actor registry', ['actors'], {
			parameters: [
				q('q', 'Any name or alias; case, diacritics and Arabic spelling variants ignored.'),
				list('type', ACTOR_TYPES, 'Actor types.'),
				list('stance', STANCES, 'Stances towards us.'),
				area,
				...page
			],
			responses: ok('200', obj('{total, actors}'), '400')
		}),
		post: op(
			'createActor',
			'Adds an actor; 409 with `duplicates` when it looks like one that exists',
			['actors'],
			{
				requestBody: body(
					'name, actor_type, name_ar, aliases, stance, influence (1–5), interest (1–5), hq_lon, hq_lat, hq_label, notes (markdown), sources, allow_duplicate'
				),
				responses: ok('201', obj('The actor'), '400', '403', '409')
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
					id('Actor id'),
					q('incidents', 'How many of the latest incidents to list.', {
						type: 'integer',
						minimum: 0,
						maximum: 500
					})
				],
				responses: ok('200', obj('The actor profile'), '400', '404')
			}
		),
		post: op(
			'updateActor',
			'Replaces an actor’s fields (analysts, admins): fields not sent take their defaults (empty aliases, notes…). Use PATCH to change some fields only',
			['actors'],
			{
				parameters: [id('Actor id')],
				requestBody: body('As for createActor'),
				responses: ok('200', obj('The actor'), '400', '403', '409')
			}
		),
		patch: op(
			'patchActor',
			'Changes the fields sent (analysts, admins); fields not sent stay as they are (merge semantics)',
			['actors'],
			{
				parameters: [id('Actor id')],
				requestBody: body('Any of the fields of createActor'),
				responses: ok('200', obj('The actor'), '400', '403', '404', '409')
			}
		),
		delete: op(
			'deleteActor',
			'Deletes an actor (admins); `mode` says what happens to what depends on it',
			['actors'],
			{
				parameters: [
					id('Actor id'),
					{
						name: 'mode',
						in: 'query',
						schema: { type: 'string', enum: DELETE_MODES },
						description: 'reassign (to target), detach or delete'
					},
					q('target', 'Actor to reassign to.', { type: 'string', format: 'uuid' })
				],
				responses: ok('200', obj('What was done'), '400', '403', '404')
			}
		)
	},
	'/actors/{id}/presence': {
		post: op(
			'addActorPresence',
			'Maps where an actor is present (analysts, admins): an admin area or a drawn polygon',
			['actors'],
			{
				parameters: [id('Actor id')],
				requestBody: body(
					'pcode (an admin area) or geometry (a GeoJSON Polygon or MultiPolygon), label, notes, valid_from, valid_to'
				),
				responses: ok('201', obj('The presence'), '400', '403')
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
					id('Actor id'),
					{
						name: 'presence',
						in: 'path',
						required: true,
						description: 'Presence id',
						schema: { type: 'string', format: 'uuid' }
					}
				],
				responses: ok('200', obj('{id, removed}'), '400', '403')
			}
		)
	},
	'/actors/network': {
		get: op('actorNetwork', 'The whole network in compact arrays, dates included', ['actors'], {
			responses: ok('200', obj('{nodes, edges, confrontations}'))
		})
	},
	'/actors/presence': {
		get: op('actorPresence', 'Presence areas and drawn polygons as GeoJSON', ['actors'], {
			parameters: [
				q('actor', 'One actor.', { type: 'string', format: 'uuid' }),
				list('type', ACTOR_TYPES, 'Actor types.'),
				asOf
			],
			responses: ok(
				'200',
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
					list('kind', EDGE_KINDS, 'Relationship kinds (confronted = derived from incidents).'),
					list('type', ACTOR_TYPES, 'Actor types.'),
					area
				],
				responses: ok(
					'200',
					arr(
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
					list('kind', EDGE_KINDS, 'Kinds.'),
					q('actor', 'Involving this actor.', { type: 'string', format: 'uuid' })
				],
				responses: ok('200', obj('{as_of, relationships, confrontations}'), '400')
			}
		),
		post: op('createRelationship', 'Maps a relationship (analysts, admins)', ['actors'], {
			requestBody: body(
				'source_actor_id, target_actor_id, kind, directed, valid_from, valid_to, confidence (low/medium/high), source, notes'
			),
			responses: ok('201', obj('The relationship'), '400', '403')
		})
	},
	'/relationships/{id}': {
		post: op(
			'updateRelationship',
			'Replaces a relationship’s fields (analysts, admins); fields not sent take their defaults. Use PATCH to change some only',
			['actors'],
			{
				parameters: [id('Relationship id')],
				requestBody: body('As for createRelationship'),
				responses: ok('200', obj('The relationship'), '400', '403')
			}
		),
		patch: op(
			'patchRelationship',
			'Changes the fields sent (analysts, admins); the others stay as they are',
			['actors'],
			{
				parameters: [id('Relationship id')],
				requestBody: body('Any of the fields of createRelationship'),
				responses: ok('200', obj('The relationship'), '400', '403', '404')
			}
		),
		delete: op('deleteRelationship', 'Removes a relationship (analysts, admins)', ['actors'], {
			parameters: [id('Relationship id')],
			responses: ok('200', obj('{id, removed}'), '400', '403')
		})
	},
	'/contacts': {
		get: op('listContacts', 'Contacts the caller may see (audited)', ['contacts'], {
			parameters: [
				q('q', 'Name, role, call sign or organisation.'),
				q('area', 'P-code: responsible there, or for an area in or around it.'),
				q('actor', 'Organisation (actor id).', { type: 'string', format: 'uuid' }),
				q('checkpoint', 'Checkpoint id.', { type: 'string', format: 'uuid' }),
				{ name: 'sensitivity', in: 'query', schema: { type: 'string', enum: SENSITIVITIES } },
				...page
			],
			responses: ok('200', obj('{total, contacts}'), '400', '403')
		}),
		post: op('createContact', 'Adds a contact (analysts, admins)', ['contacts'], {
			requestBody: body(
				'full_name, name_ar, role_title, actor_id, call_sign, messaging [{service, handle}], languages, sensitivity, emergency, notes, phones [{number, phone_type, label}], areas [P-code], checkpoint_ids, verified'
			),
			responses: ok('201', obj('The contact'), '400', '403')
		})
	},
	'/contacts/{id}': {
		get: op('getContact', 'One contact’s details (audited)', ['contacts'], {
			parameters: [id('Contact id')],
			responses: ok('200', obj('The contact'), '400', '403', '404')
		}),
		post: op(
			'updateContact',
			'Replaces a contact: fields not sent take their defaults (to change some fields only, PATCH). Field staff: the normal contacts of their areas',
			['contacts'],
			{
				parameters: [id('Contact id')],
				requestBody: body('As for createContact'),
				responses: ok('200', obj('The contact'), '400', '403')
			}
		),
		patch: op(
			'patchContact',
			'Changes the fields sent; the others stay as they are (merge semantics). A PATCH that changes nothing writes nothing (no audit row). Field staff: the normal contacts of their areas, but not their areas, checkpoints or sensitivity (403). A contact the caller may not see is a 404.',
			['contacts'],
			{
				parameters: [id('Contact id')],
				requestBody: body(
					'Any of the fields of createContact; phones, areas and checkpoint_ids, when sent, replace the whole list. An unknown field is a 400 naming it.'
				),
				responses: ok(
					'200',
					{
						description: 'The fields that changed, and the contact',
						content: {
							'application/json': {
								schema: {
									type: 'object',
									properties: {
										id: { type: 'string', format: 'uuid' },
										changed: { type: 'array', items: { type: 'string' } },
										contact: { type: 'object' }
									}
								}
							}
						}
					},
					'400',
					'403',
					'404'
				)
			}
		),
		delete: op('deleteContact', 'Deletes a contact (analysts, admins)', ['contacts'], {
			parameters: [id('Contact id')],
			responses: ok('200', obj('{id, deleted}'), '400', '403', '404')
		})
	},
	'/contacts/nearby': {
		get: op(
			'contactsNearby',
			'Who to call here: contacts of the areas containing a point, then of the nearest checkpoints',
			['contacts'],
			{
				parameters: [
					{
						name: 'lon',
						in: 'query',
						required: true,
						schema: { type: 'number', minimum: -180, maximum: 180 }
					},
					{
						name: 'lat',
						in: 'query',
						required: true,
						schema: { type: 'number', minimum: -90, maximum: 90 }
					},
					q('radius', 'Metres to look for checkpoints (default 25000).', {
						type: 'number',
						minimum: 0,
						maximum: 500000
					}),
					q('checkpoints', 'How many nearest checkpoints (default 3).', {
						type: 'integer',
						minimum: 0,
						maximum: 20
					}),
					q('limit', 'Most contacts to return.', { type: 'integer', minimum: 1, maximum: 500 })
				],
				responses: ok('200', obj('{lon, lat, areas, checkpoints, contacts}'), '400', '403')
			}
		)
	},
	'/contacts/scope': {
		post: op(
			'setContactScope',
			'Sets the areas a field user works in, which decide the contacts they see (admins)',
			['contacts'],
			{
				requestBody: body('user_id, areas [P-code]'),
				responses: ok('200', obj('{id, email, assigned_areas}'), '400', '403', '404')
			}
		)
	},
	'/contacts/export': {
		get: op('exportContacts', 'CSV or vCard export (analysts, admins; audited)', ['contacts'], {
			parameters: [
				{
					name: 'format',
					in: 'query',
					required: true,
					schema: { type: 'string', enum: ['csv', 'vcard'] }
				},
				area,
				{ name: 'sensitivity', in: 'query', schema: { type: 'string', enum: SENSITIVITIES } }
			],
			responses: ok(
				'200',
				{
					description: 'text/csv or text/vcard',
					content: {
						'text/csv': { schema: { type: 'string' } },
						'text/vcard': { schema: { type: 'string' } }
					}
				},
				'400',
				'403'
			)
		})
	}
};
