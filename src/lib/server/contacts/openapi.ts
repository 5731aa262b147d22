/**
 * The OpenAPI paths of the contact routes (need-to-know: every read audited, viewers get 403),
 * spread into the document through actors/openapi.ts, whose `contacts` tag they carry.
 */
import type { Method, Operation } from '../api/openapi-types.ts';
import { SENSITIVITIES } from '../../domain/contacts.ts';
import {
	answers,
	created,
	jsonBody,
	objectAnswer,
	op,
	pageParams,
	pathId,
	query
} from '../api/openapi-kit.ts';

/** The filter of the list and the export alike (contacts/index.ts's `area`). */
const area = query('area', 'P-code: responsible there, or for an area in or around it.');
const sensitivity = {
	name: 'sensitivity',
	in: 'query',
	schema: { type: 'string', enum: SENSITIVITIES }
} as const;

export const contactPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/contacts': {
		get: op('listContacts', 'Contacts the caller may see (audited)', ['contacts'], {
			parameters: [
				query('q', 'Name, role, call sign or organisation.'),
				area,
				query('actor', 'Organisation (actor id).', { type: 'string', format: 'uuid' }),
				query('checkpoint', 'Checkpoint id.', { type: 'string', format: 'uuid' }),
				sensitivity,
				...pageParams
			],
			responses: answers(objectAnswer('{total, contacts}'), '400', '403')
		}),
		post: op('createContact', 'Adds a contact (analysts, admins)', ['contacts'], {
			requestBody: jsonBody(
				'full_name, name_ar, role_title, actor_id, call_sign, messaging [{service, handle}], languages, sensitivity, emergency, notes, phones [{number, phone_type, label}], areas [P-code], checkpoint_ids, verified'
			),
			responses: created(objectAnswer('The contact'), '400', '403')
		})
	},
	'/contacts/{id}': {
		get: op('getContact', 'One contact’s details (audited)', ['contacts'], {
			parameters: [pathId('Contact id')],
			responses: answers(objectAnswer('The contact'), '400', '403', '404')
		}),
		post: op(
			'updateContact',
			'Replaces a contact: fields not sent take their defaults (to change some fields only, PATCH). Field staff: the normal contacts of their areas',
			['contacts'],
			{
				parameters: [pathId('Contact id')],
				requestBody: jsonBody('As for createContact'),
				responses: answers(objectAnswer('The contact'), '400', '403')
			}
		),
		patch: op(
			'patchContact',
			'Changes the fields sent; the others stay as they are (merge semantics). A PATCH that changes nothing writes nothing (no audit row). Field staff: the normal contacts of their areas, but not their areas, checkpoints or sensitivity (403). A contact the caller may not see is a 404.',
			['contacts'],
			{
				parameters: [pathId('Contact id')],
				requestBody: jsonBody(
					'Any of the fields of createContact; phones, areas and checkpoint_ids, when sent, replace the whole list. An unknown field is a 400 naming it.'
				),
				responses: answers(
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
			parameters: [pathId('Contact id')],
			responses: answers(objectAnswer('{id, deleted}'), '400', '403', '404')
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
					query('radius', 'Metres to look for checkpoints (default 25000).', {
						type: 'number',
						minimum: 0,
						maximum: 500000
					}),
					query('checkpoints', 'How many nearest checkpoints (default 3).', {
						type: 'integer',
						minimum: 0,
						maximum: 20
					}),
					query('limit', 'Most contacts to return.', { type: 'integer', minimum: 1, maximum: 500 })
				],
				responses: answers(objectAnswer('{lon, lat, areas, checkpoints, contacts}'), '400', '403')
			}
		)
	},
	'/contacts/scope': {
		post: op(
			'setContactScope',
			'Sets the areas a field user works in, which decide the contacts they see (admins)',
			['contacts'],
			{
				requestBody: jsonBody('user_id, areas [P-code]'),
				responses: answers(objectAnswer('{id, email, assigned_areas}'), '400', '403', '404')
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
				sensitivity
			],
			responses: answers(
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
