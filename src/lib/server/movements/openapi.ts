/**
 * OpenAPI paths of movements and alerts: /movements…, /alerts… (handlers in src/routes/api/v1,
 * verbs in ./index.ts and ../alerts/index.ts).
 */
import type { Method, Operation, Schema } from '../api/openapi-types.ts';
import { answers, bodyOf, created, obj, ok, pathId } from '../api/openapi-kit.ts';
import { MOVEMENT_STATUSES } from './index.ts';
import { ALERT_DISPOSITIONS } from '../../domain/alerts.ts';
import { noGoPaths } from './openapi-nogo.ts';

export const movementTags = [
	{ name: 'movements', description: 'Movement plans, route risk and safe-access calls' },
	{ name: 'alerts', description: 'Alerts and their live feed' }
];

const line: Schema = {
	type: 'object',
	description: 'A GeoJSON LineString or MultiLineString (or a Feature holding one)',
	required: ['type'],
	properties: { type: { type: 'string' }, coordinates: { type: 'array' } }
};
const movementFields = obj({
	purpose: { type: 'string', maxLength: 500 },
	base_site_id: { type: 'string', format: 'uuid' },
	departure_at: { type: 'string', format: 'date-time' },
	return_at: { type: 'string', format: 'date-time' },
	route: line,
	route_source: { type: 'string' },
	corridor_km: { type: 'number', minimum: 0, maximum: 50, description: 'more than 0' },
	notes: { type: 'string' },
	team: {
		type: 'array',
		items: obj({
			user_id: { type: 'string', format: 'uuid' },
			name: { type: 'string' },
			role: { type: 'string' },
			phone: { type: 'string' }
		})
	},
	vehicles: {
		type: 'array',
		items: obj(
			{
				plate: { type: 'string' },
				vehicle_type: { type: 'string' },
				call_sign: { type: 'string' }
			},
			['plate']
		)
	},
	stops: {
		type: 'array',
		items: obj({
			site_kind: { enum: ['org_sites', 'health_facilities', 'idp_camps', 'checkpoints'] },
			site_id: { type: 'string', format: 'uuid' },
			lon: { type: 'number' },
			lat: { type: 'number' },
			name: { type: 'string' }
		})
	}
});
const movement: Schema = {
	type: 'object',
	description:
		'A movement plan: the fields above plus id, status, areas, risk (stored at submission), calls, events, decided_by…',
	properties: { id: { type: 'string', format: 'uuid' }, status: { enum: [...MOVEMENT_STATUSES] } }
};
const routeRisk: Schema = {
	type: 'object',
	description:
		'incidents {total, fatalities, by_type, by_seriousness, by_precision, list}, stops, checkpoints (with verified_days_ago, stale), areas [{pcode, level, …}], highest_level, no_go_zones, rules, recommendation, reasons',
	properties: {
		recommendation: { enum: ['go', 'conditions', 'no_go'] },
		reasons: { type: 'array', items: { type: 'object' } },
		incidents: { type: 'object' },
		checkpoints: { type: 'array', items: { type: 'object' } },
		areas: { type: 'array', items: { type: 'object' } }
	}
};
const alert: Schema = obj({
	id: { type: 'string', format: 'uuid' },
	kind: {
		enum: ['movement_overdue', 'authorisation_expiring', 'incident_rule', 'headcount', 'other']
	},
	rule_id: { type: ['string', 'null'], format: 'uuid' },
	incidents: {
		type: ['array', 'null'],
		description: 'A rule’s alert: the incidents the caller may read',
		items: { type: 'object' }
	},
	incident_count: { type: ['integer', 'null'] },
	severity: { enum: ['info', 'warning', 'critical'] },
	title: { type: 'string' },
	body: { type: 'object' },
	movement_id: { type: ['string', 'null'], format: 'uuid' },
	created_at: { type: 'string', format: 'date-time' },
	ack: { type: ['object', 'null'] }
});
const tags = ['movements'];

export const movementPaths: Record<string, Partial<Record<Method, Operation>>> = {
	...noGoPaths,
	'/movements': {
		get: {
			operationId: 'listMovements',
			summary: 'The movement plans the caller may see (viewers: 403)',
			tags,
			parameters: [
				{
					name: 'status',
					in: 'query',
					description: 'Comma-separated statuses',
					schema: { type: 'string' }
				}
			],
			responses: answers(
				ok('Plans, latest departure first', { type: 'array', items: movement }),
				'400',
				'403'
			)
		},
		post: {
			operationId: 'createMovement',
			summary: 'A new draft plan',
			tags,
			requestBody: bodyOf(movementFields),
			responses: created(ok('The plan', movement), '400', '403')
		}
	},
	'/movements/{id}': {
		get: {
			operationId: 'getMovement',
			summary: 'One plan (the read is audited)',
			tags,
			parameters: [pathId('Movement id')],
			responses: answers(ok('The plan', movement), '403', '404')
		},
		patch: {
			operationId: 'updateMovement',
			summary:
				'Change a draft or refused plan (merge: fields not sent stay; a list sent replaces it)',
			tags,
			parameters: [pathId('Movement id')],
			requestBody: bodyOf(movementFields),
			responses: answers(ok('The plan', movement), '400', '403', '404')
		}
	},
	'/movements/{id}/transition': {
		post: {
			operationId: 'transitionMovement',
			summary: 'One workflow step (submit, approve, refuse, check out/in, close; four eyes)',
			tags,
			parameters: [pathId('Movement id')],
			requestBody: bodyOf(
				obj(
					{
						to: { enum: [...MOVEMENT_STATUSES] },
						reason: { type: 'string' },
						conditions: { type: 'string' },
						lon: { type: 'number' },
						lat: { type: 'number' }
					},
					['to']
				)
			),
			responses: answers(ok('The plan', movement), '400', '403', '404')
		}
	},
	'/movements/{id}/calls': {
		post: {
			operationId: 'logSafeAccessCall',
			summary: 'Log a safe-access call to a key contact (from the directory, or by name)',
			tags,
			parameters: [pathId('Movement id')],
			requestBody: bodyOf(
				obj(
					{
						outcome: { enum: ['confirmed', 'conditions', 'advised_against', 'no_answer'] },
						contact_id: { type: 'string', format: 'uuid' },
						contact_name: { type: 'string' },
						pcode: { type: 'string' },
						segment: { type: 'string' },
						said: { type: 'string' },
						called_at: { type: 'string', format: 'date-time' }
					},
					['outcome']
				)
			),
			responses: created(ok('The plan with its calls', movement), '400', '403', '404')
		}
	},
	'/movements/{id}/position': {
		post: {
			operationId: 'sendMovementPosition',
			summary: 'The team’s position while under way',
			tags,
			parameters: [pathId('Movement id')],
			requestBody: bodyOf(
				obj({ lon: { type: 'number' }, lat: { type: 'number' } }, ['lon', 'lat'])
			),
			responses: answers(ok('The position recorded', { type: 'object' }), '400', '403', '404')
		}
	},
	'/movements/risk': {
		post: {
			operationId: 'routeRisk',
			summary: 'Route risk: incidents, checkpoints, area levels and no-go zones along a line',
			tags,
			requestBody: bodyOf(
				obj(
					{
						route: line,
						corridor_km: { type: 'number', minimum: 0, maximum: 50, description: 'more than 0' },
						from: { type: 'string', format: 'date' },
						to: { type: 'string', format: 'date' },
						stops: { type: 'array', items: { type: 'object' } },
						stop_km: { type: 'number' },
						on: { type: 'string', format: 'date' }
					},
					['route']
				)
			),
			responses: answers(ok('The route risk', routeRisk), '400', '403')
		}
	},
	'/movements/settings': {
		get: {
			operationId: 'movementSettings',
			summary: 'The route-risk rules, safe-access call and overdue settings',
			tags,
			responses: answers(ok('The settings', { type: 'object' }), '403')
		},
		patch: {
			operationId: 'updateMovementSettings',
			summary: 'Change settings (admins; merge semantics), e.g. grace_minutes, call_level',
			tags,
			requestBody: bodyOf({ type: 'object' }),
			responses: answers(ok('The settings', { type: 'object' }), '400', '403')
		}
	},
	'/alerts': {
		get: {
			operationId: 'listAlerts',
			summary:
				'The caller’s alerts, newest first (a movement alert only if they may read the movement)',
			tags: ['alerts'],
			parameters: [
				{
					name: 'unread',
					in: 'query',
					description: '1: only unacknowledged',
					schema: { type: 'string' }
				},
				{ name: 'limit', in: 'query', description: '1–1000', schema: { type: 'integer' } }
			],
			responses: answers(ok('Alerts', { type: 'array', items: alert }), '400')
		}
	},
	'/alerts/{id}/ack': {
		post: {
			operationId: 'acknowledgeAlert',
			summary: 'Acknowledge an alert once (a second time: 409)',
			tags: ['alerts'],
			parameters: [pathId('Alert id')],
			requestBody: bodyOf(
				obj(
					{
						disposition: { enum: [...ALERT_DISPOSITIONS] },
						note: { type: 'string', maxLength: 2000 },
						snoozed_until: { type: 'string', format: 'date-time' }
					},
					['disposition']
				)
			),
			responses: answers(ok('The alert', alert), '400', '404', '409')
		}
	},
	'/movements/stream': {
		get: {
			operationId: 'movementBoardStream',
			summary:
				'Server-sent events for the live board: `event: movement` with a movement’s board row (no route, stop or team) whenever one changes state, for the movements the caller may read (LISTEN/NOTIFY)',
			tags,
			responses: answers(
				{
					description: 'An event stream',
					content: { 'text/event-stream': { schema: { type: 'string' } } }
				},
				'403'
			)
		}
	},
	'/alerts/stream': {
		get: {
			operationId: 'alertStream',
			summary: 'Server-sent events: `event: alert` with the alert as JSON, live (LISTEN/NOTIFY)',
			tags: ['alerts'],
			responses: answers({
				description: 'An event stream',
				content: { 'text/event-stream': { schema: { type: 'string' } } }
			})
		}
	}
};
