/**
 * OpenAPI paths of the movements domain: route risk and its rules, movement plans and their
 * workflow (handlers in src/routes/api/v1/movements, verbs in ./index.ts).
 */
import type { Method, Operation, Schema } from '../api/openapi-types.ts';
import { answers, created, jsonOf, pathId } from '../api/openapi-kit.ts';

const obj: Schema = { type: 'object' };
const TAG = ['movements'];
const body = (schema: Schema) => ({ required: true, content: jsonOf(schema) });
const movement = (description: string) => ({ description, content: jsonOf(obj) });

const lineString: Schema = {
	type: 'object',
	description: 'A GeoJSON LineString or MultiLineString (or a Feature holding one), WGS 84',
	required: ['type'],
	properties: { type: { type: 'string', enum: ['LineString', 'MultiLineString', 'Feature'] } }
};

export const movementTags = [
	{ name: 'movements', description: 'Movement plans, route risk and safe-access verification' }
];

export const movementPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/movements/risk': {
		post: {
			operationId: 'routeRisk',
			summary:
				'The risk along a route: incidents in the corridor and at stops, checkpoints, areas, recommendation',
			description:
				'Incidents within corridor_km of the route (ST_DWithin on geography) over from…to (default: the rules’ days back from today, or from the newest data), by type, seriousness and location precision; checkpoints in the corridor with staleness; every area crossed with its security level; no-go zones in force on `on`; and go | conditions | no_go from the rules, with reasons.',
			tags: TAG,
			requestBody: body({
				type: 'object',
				required: ['route'],
				properties: {
					route: lineString,
					corridor_km: { type: 'number', minimum: 0, maximum: 50 },
					from: { type: 'string', format: 'date' },
					to: { type: 'string', format: 'date' },
					on: { type: 'string', format: 'date', description: 'The day of travel' },
					stops: { type: 'array', items: obj },
					stop_km: { type: 'number', minimum: 0, maximum: 50 },
					list_limit: { type: 'integer', minimum: 0, maximum: 5000 }
				}
			}),
			responses: answers(
				{
					description:
						'incidents {total, by_type, by_seriousness, by_precision, list}, checkpoints[], areas[{pcode, level, …}], recommendation, reasons[]',
					content: jsonOf(obj)
				},
				'400'
			)
		}
	},
	'/movements/settings': {
		get: {
			operationId: 'movementRules',
			summary: 'The route-risk rules and workflow settings',
			tags: TAG,
			responses: answers({ description: 'The settings', content: jsonOf(obj) })
		},
		patch: {
			operationId: 'updateMovementRules',
			summary: 'Change the rules (admins); only the settings sent change',
			tags: TAG,
			requestBody: body(obj),
			responses: answers({ description: 'The settings', content: jsonOf(obj) }, '400', '403')
		}
	},
	'/movements': {
		get: {
			operationId: 'listMovements',
			summary: 'The movement plans the caller may see (field staff, analysts, admins)',
			tags: TAG,
			parameters: [
				{
					name: 'status',
					in: 'query',
					description: 'Comma-separated statuses',
					schema: { type: 'string' }
				}
			],
			responses: answers(
				{
					description: 'Plans, newest departure first',
					content: jsonOf({ type: 'array', items: obj })
				},
				'400',
				'403'
			)
		},
		post: {
			operationId: 'createMovement',
			summary: 'A new draft plan: purpose, departure_at, return_at, route, team, vehicles, stops',
			tags: TAG,
			requestBody: body(obj),
			responses: created(movement('The plan'), '400', '403')
		}
	},
	'/movements/{id}': {
		get: {
			operationId: 'getMovement',
			summary: 'One plan with its team, vehicles, stops, route, calls and events (audited)',
			tags: TAG,
			parameters: [pathId('Movement id')],
			responses: answers(movement('The plan'), '400', '403', '404')
		},
		patch: {
			operationId: 'updateMovement',
			summary: 'Change a draft or refused plan; fields not sent stay as they are',
			tags: TAG,
			parameters: [pathId('Movement id')],
			requestBody: body(obj),
			responses: answers(movement('The plan'), '400', '403', '404')
		}
	},
	'/movements/{id}/transition': {
		post: {
			operationId: 'moveMovement',
			summary:
				'One workflow step: submitted, approved, approved_conditions, refused, under_way, completed, closed, cancelled, draft',
			tags: TAG,
			parameters: [pathId('Movement id')],
			requestBody: body({
				type: 'object',
				required: ['to'],
				properties: {
					to: { type: 'string' },
					reason: { type: 'string' },
					conditions: { type: 'string' },
					lon: { type: 'number' },
					lat: { type: 'number' }
				}
			}),
			responses: answers(movement('The plan'), '400', '403', '404')
		}
	},
	'/movements/{id}/calls': {
		post: {
			operationId: 'logSafeAccessCall',
			summary: 'A safe-access call: who was called, about which area, what they said',
			tags: TAG,
			parameters: [pathId('Movement id')],
			requestBody: body({
				type: 'object',
				required: ['outcome'],
				properties: {
					outcome: {
						type: 'string',
						enum: ['confirmed', 'conditions', 'advised_against', 'no_answer']
					},
					contact_id: { type: 'string', format: 'uuid' },
					contact_name: { type: 'string' },
					pcode: { type: 'string' },
					segment: { type: 'string' },
					said: { type: 'string' },
					called_at: { type: 'string', format: 'date-time' }
				}
			}),
			responses: created(movement('The plan with its calls'), '400', '403', '404')
		}
	},
	'/movements/{id}/position': {
		post: {
			operationId: 'sendPosition',
			summary: 'The team’s position while under way',
			tags: TAG,
			parameters: [pathId('Movement id')],
			requestBody: body({
				type: 'object',
				required: ['lon', 'lat'],
				properties: { lon: { type: 'number' }, lat: { type: 'number' } }
			}),
			responses: answers({ description: 'The position', content: jsonOf(obj) }, '400', '404')
		}
	}
};
