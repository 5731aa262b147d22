/**
 * OpenAPI paths of contingency-plan triggers and drawn routes (handlers in src/routes/api/v1/contingency/[id]/triggers;
 * verbs in ./triggers.ts). The plans' own paths are in ../movements/openapi-safety.ts.
 */
import type { Method, Operation, Schema } from '../api/openapi-types.ts';
import { answers, bodyOf, created, ok, pathId } from '../api/openapi-kit.ts';
import { TRIGGER_KINDS } from './triggers.ts';

const tags = ['contingency'];
const num = (description: string): Schema => ({ type: 'number', description });

const fields: Schema = {
	type: 'object',
	required: ['kind'],
	description:
		'area_level: pcode and level; incidents_near: min_incidents, radius_km, days, and lon/lat (or neither: the base); checkpoint_closed: checkpoint_id. Other fields are refused.',
	properties: {
		kind: { enum: [...TRIGGER_KINDS] },
		pcode: { type: 'string', description: 'area_level: the area (any admin level)' },
		level: { type: 'integer', minimum: 1, maximum: 5, description: 'area_level: N, 1–5' },
		min_incidents: {
			type: 'integer',
			minimum: 1,
			description: 'incidents_near: K serious incidents'
		},
		radius_km: num('incidents_near: R, more than 0 and at most 200'),
		days: { type: 'integer', minimum: 1, maximum: 3660, description: 'incidents_near: D days' },
		lon: num('incidents_near: the centre (default: the base)'),
		lat: num('incidents_near: the centre (default: the base)'),
		checkpoint_id: { type: 'string', format: 'uuid', description: 'checkpoint_closed' }
	}
};
const trigger: Schema = {
	type: 'object',
	description:
		'The fields above plus id, plan_id, area_name, checkpoint_name, met (now), met_since, last_alert_id, created_at, created_by_name',
	properties: {
		id: { type: 'string', format: 'uuid' },
		met: { type: 'boolean' },
		met_since: { type: ['string', 'null'], format: 'date-time' }
	}
};
const routeBody: Schema = {
	type: 'object',
	required: ['name', 'route'],
	description: 'Other fields are refused, with the field named.',
	properties: {
		name: { type: 'string', maxLength: 200 },
		route: {
			type: 'object',
			description:
				'GeoJSON LineString (or a MultiLineString whose parts join into one line, or a Feature holding one), longitude/latitude; anything else is refused naming route'
		},
		to_site: {
			type: ['string', 'null'],
			description:
				'The name of the plan site it leads to; without it the route serves any site within 1 km of it'
		},
		source: { type: 'string', description: 'drawn (default) or the file it came from' }
	}
};
const planRoute: Schema = {
	type: 'object',
	description:
		'id, plan_id, name, to_site, source, length_km, route (GeoJSON), created_at, created_by_name',
	properties: {
		id: { type: 'string', format: 'uuid' },
		length_km: { type: 'number' },
		route: { type: 'object' }
	}
};
const routeId = { ...pathId('Route id'), name: 'route' };
const triggerId = { ...pathId('Trigger id'), name: 'trigger' };

export const triggerPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/contingency/{id}/routes': {
		get: {
			operationId: 'listContingencyRoutes',
			summary:
				'A plan’s drawn routes (roads out), each a GeoJSON line with its name and destination; the read is audited. Viewers: 403',
			tags,
			parameters: [pathId('Plan id')],
			responses: answers(ok('The routes', { type: 'array', items: planRoute }), '403', '404')
		},
		post: {
			operationId: 'addContingencyRoute',
			summary:
				'Add a drawn route to a plan (analysts and admins); the nearest-site finder measures along it',
			tags,
			parameters: [pathId('Plan id')],
			requestBody: bodyOf(routeBody),
			responses: created(ok('The route', planRoute), '400', '403', '404')
		}
	},
	'/contingency/{id}/routes/{route}': {
		delete: {
			operationId: 'removeContingencyRoute',
			summary: 'Remove a drawn route from a plan (analysts and admins)',
			tags,
			parameters: [pathId('Plan id'), routeId],
			responses: answers(ok('Removed', { type: 'object' }), '403', '404')
		}
	},
	'/contingency/{id}/triggers': {
		get: {
			operationId: 'listContingencyTriggers',
			summary: 'A plan’s triggers, each with whether it is met now and since when',
			tags,
			parameters: [pathId('Plan id')],
			responses: answers(ok('The triggers', { type: 'array', items: trigger }), '403', '404')
		},
		post: {
			operationId: 'addContingencyTrigger',
			summary:
				'Add a trigger bound to live data (analysts and admins). It raises one alert (to analysts, admins and the base’s field staff) each time it becomes met; the same trigger twice on a plan is refused (409, the field named)',
			tags,
			parameters: [pathId('Plan id')],
			requestBody: bodyOf(fields),
			responses: created(ok('The trigger, evaluated', trigger), '400', '403', '404', '409')
		}
	},
	'/contingency/{id}/triggers/{trigger}': {
		delete: {
			operationId: 'removeContingencyTrigger',
			summary: 'Remove a trigger from a plan (analysts and admins)',
			tags,
			parameters: [pathId('Plan id'), triggerId],
			responses: answers(ok('Removed', { type: 'object' }), '403', '404')
		}
	}
};
