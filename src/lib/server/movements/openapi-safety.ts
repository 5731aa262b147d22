/**
 * OpenAPI paths of access authorisations, route files, headcounts and contingency plans (handlers
 * in src/routes/api/v1; verbs in ./authorisations.ts, ./route-file.ts, ../headcounts,
 * ../contingency).
 */
import type { Method, Operation, Schema } from '../api/openapi-types.ts';
import { answers, bodyOf, fileBody, created, obj, ok, pathId } from '../api/openapi-kit.ts';
import { AUTHORISATION_KINDS, HOLDER_TYPES } from './authorisations.ts';
import { PLAN_KINDS, SITE_ROLES } from '../contingency/index.ts';

const tags = ['movements'];

const fields = obj({
	kind: { enum: [...AUTHORISATION_KINDS] },
	holder_type: { enum: [...HOLDER_TYPES] },
	user_id: { type: ['string', 'null'], format: 'uuid' },
	holder_name: { type: 'string', maxLength: 200 },
	plate: { type: ['string', 'null'] },
	pcode: { type: ['string', 'null'], description: 'Governorate or district; null: every area' },
	issued_by: { type: ['string', 'null'], format: 'uuid', description: 'The issuing actor' },
	issued_by_name: { type: 'string' },
	valid_from: { type: 'string', format: 'date' },
	valid_to: { type: 'string', format: 'date' },
	reference: { type: 'string' },
	notes: { type: 'string' }
});
const authorisation: Schema = {
	type: 'object',
	description:
		'The fields above plus id, area_name, status (valid, expiring, expired, not_yet_valid)',
	properties: { id: { type: 'string', format: 'uuid' }, status: { type: 'string' } }
};
const check: Schema = obj({
	from: { type: 'string', format: 'date' },
	to: { type: 'string', format: 'date' },
	level: { type: 'integer' },
	areas: { type: 'array', items: { type: 'object' } },
	items: {
		type: 'array',
		description:
			'One per district × team member or vehicle: {pcode, name_en, holder_type, holder, status: valid | missing | expired | not_yet_valid | expires_during, authorisation}',
		items: { type: 'object' }
	},
	missing: { type: 'integer' }
});

export const safetyPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/access-authorisations': {
		get: {
			operationId: 'listAccessAuthorisations',
			summary: 'The register (analysts, admins: all; field staff: their own); the read is audited',
			tags,
			parameters: [
				{
					name: 'pcode',
					in: 'query',
					description: 'Only those covering this area',
					schema: { type: 'string' }
				}
			],
			responses: answers(
				ok('Authorisations, soonest end first', { type: 'array', items: authorisation }),
				'400',
				'403'
			)
		},
		post: {
			operationId: 'createAccessAuthorisation',
			summary: 'Record a letter or permit (analysts and admins)',
			tags,
			requestBody: bodyOf(fields),
			responses: created(ok('The authorisation', authorisation), '400', '403')
		}
	},
	'/access-authorisations/{id}': {
		get: {
			operationId: 'getAccessAuthorisation',
			summary: 'One authorisation (the read is audited)',
			tags,
			parameters: [pathId('Authorisation id')],
			responses: answers(ok('The authorisation', authorisation), '403', '404')
		},
		patch: {
			operationId: 'updateAccessAuthorisation',
			summary: 'Change one (merge semantics: fields not sent stay)',
			tags,
			parameters: [pathId('Authorisation id')],
			requestBody: bodyOf(fields),
			responses: answers(ok('The authorisation', authorisation), '400', '403', '404')
		}
	},
	'/movements/{id}/authorisations': {
		get: {
			operationId: 'movementAuthorisations',
			summary:
				'The access authorisations a plan’s team needs and whether each is valid for the trip',
			tags,
			parameters: [pathId('Movement id')],
			responses: answers(ok('The check', check), '403', '404')
		}
	},
	'/movements/route-file': {
		post: {
			operationId: 'routeFromFile',
			summary: 'The route line in a KML, KMZ, GPX or GeoJSON file (nothing is saved)',
			tags,
			requestBody: fileBody(),
			responses: answers(
				ok(
					'The first line',
					obj({
						route: { type: 'object' },
						source: { type: 'string' },
						name: { type: ['string', 'null'] },
						lines: { type: 'integer' }
					})
				),
				'400',
				'403'
			)
		}
	}
};

const headcount: Schema = {
	type: 'object',
	description:
		'id, scope, base_name, pcode, message, escalate_after_minutes, started_at, escalate_at, closed_at, counts {people, safe, need_help, no_answer, escalated}, people (analysts and admins: everyone; others: none), mine (the caller’s answer)',
	properties: { id: { type: 'string', format: 'uuid' }, counts: { type: 'object' } }
};
const planFields = obj({
	summary: { type: 'string', description: 'The plan’s text (Markdown)' },
	sites: {
		type: 'array',
		items: obj(
			{
				name: { type: 'string' },
				role: { enum: [...SITE_ROLES] },
				capacity: { type: ['integer', 'null'] },
				stocks: { type: 'string' },
				comms: { type: 'string' },
				lon: { type: ['number', 'null'] },
				lat: { type: ['number', 'null'] }
			},
			['name', 'role']
		)
	},
	routes: { type: 'string' },
	responsible: { type: 'string' },
	note: { type: 'string', description: 'Why it changed (kept with the version)' }
});
const plan: Schema = {
	type: 'object',
	description:
		'The fields above plus id, base_site_id, base_name, kind, version, versions [{version, note, changed_by_name, changed_at, snapshot}]',
	properties: { id: { type: 'string', format: 'uuid' }, version: { type: 'integer' } }
};

export const headcountPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/headcounts': {
		get: {
			operationId: 'listHeadcounts',
			summary: 'Headcounts the caller may see, open first (no people: counts only)',
			tags: ['headcounts'],
			responses: answers(ok('Headcounts', { type: 'array', items: headcount }))
		},
		post: {
			operationId: 'startHeadcount',
			summary: 'Start a headcount for everyone, a base or an area (analysts and admins)',
			tags: ['headcounts'],
			requestBody: bodyOf(
				obj(
					{
						scope: { enum: ['everyone', 'base', 'area'] },
						pcode: { type: 'string' },
						base_site_id: { type: 'string', format: 'uuid' },
						message: { type: 'string', maxLength: 2000 },
						escalate_after_minutes: { type: 'integer', minimum: 1, maximum: 10080 }
					},
					['scope']
				)
			),
			responses: created(ok('The headcount', headcount), '400', '403')
		}
	},
	'/headcounts/{id}': {
		get: {
			operationId: 'getHeadcount',
			summary: 'The board (the read is audited: it holds positions)',
			tags: ['headcounts'],
			parameters: [pathId('Headcount id')],
			responses: answers(ok('The headcount', headcount), '404')
		}
	},
	'/headcounts/{id}/answer': {
		post: {
			operationId: 'answerHeadcount',
			summary: 'The caller’s answer: safe or need help, optionally a position and a note',
			tags: ['headcounts'],
			parameters: [pathId('Headcount id')],
			requestBody: bodyOf(
				obj(
					{
						answer: { enum: ['safe', 'need_help'] },
						lon: { type: 'number' },
						lat: { type: 'number' },
						note: { type: 'string', maxLength: 2000 }
					},
					['answer']
				)
			),
			responses: answers(ok('The answer recorded', { type: 'object' }), '400', '404')
		}
	},
	'/headcounts/{id}/close': {
		post: {
			operationId: 'closeHeadcount',
			summary: 'Close a headcount (analysts and admins)',
			tags: ['headcounts'],
			parameters: [pathId('Headcount id')],
			responses: answers(ok('The headcount', headcount), '403', '404')
		}
	},
	'/contingency': {
		get: {
			operationId: 'contingencyOverview',
			summary:
				'Every base the caller may see the plans of, with its hibernation, relocation and evacuation plans',
			tags: ['contingency'],
			responses: answers(
				ok('Bases and their plans', { type: 'array', items: { type: 'object' } }),
				'403'
			)
		},
		post: {
			operationId: 'writeContingencyPlan',
			summary:
				'Write a base’s plan of a kind: its first version or a new one (analysts and admins)',
			tags: ['contingency'],
			requestBody: bodyOf({
				...planFields,
				required: ['base_site_id', 'kind'],
				properties: {
					...(planFields as { properties: Record<string, Schema> }).properties,
					base_site_id: { type: 'string', format: 'uuid' },
					kind: { enum: [...PLAN_KINDS] }
				}
			}),
			responses: created(ok('The plan', plan), '400', '403')
		}
	},
	'/contingency/nearest': {
		get: {
			operationId: 'nearestSafeSites',
			summary:
				'The nearest hibernation sites, assembly points and safe havens to a point, from the plans the caller may read: the `limit` nearest in a straight line and the `limit` nearest along a drawn route (so up to 2 × limit sites), in straight-line order',
			tags: ['contingency'],
			parameters: [
				{
					name: 'lat',
					in: 'query',
					required: true,
					description: 'Latitude (degrees)',
					schema: { type: 'number' }
				},
				{
					name: 'lon',
					in: 'query',
					required: true,
					description: 'Longitude (degrees)',
					schema: { type: 'number' }
				},
				{
					name: 'role',
					in: 'query',
					required: false,
					description: 'Comma-separated: hibernation_site, assembly_point, safe_haven',
					schema: { type: 'string' }
				},
				{
					name: 'limit',
					in: 'query',
					required: false,
					description:
						'1–50, default 5: how many nearest by straight line, and how many nearest along a route',
					schema: { type: 'integer' }
				}
			],
			responses: answers(
				ok('Sites with base_name, plan_kind and distance_km', {
					type: 'array',
					items: obj({
						name: { type: 'string' },
						role: { enum: [...SITE_ROLES] },
						distance_km: { type: 'number' },
						straight_rank: {
							type: 'integer',
							description: '1 = the nearest in a straight line, among every site found'
						},
						route_rank: {
							type: ['integer', 'null'],
							description:
								'1 = the shortest way along a drawn route; null when no route leads to the site'
						},
						route: {
							type: ['object', 'null'],
							description:
								'The shortest way along a drawn route of a readable plan that leads to the site (its to_site, or any site within 1 km of it), or null: id, name, plan_id, approach_km (point to the route), along_km (on the line to the site’s projection), leave_km (projection to the site), total_km'
						}
					})
				}),
				'400',
				'403'
			)
		}
	},
	'/contingency/{id}': {
		get: {
			operationId: 'getContingencyPlan',
			summary: 'One plan with its versions (the read is audited)',
			tags: ['contingency'],
			parameters: [pathId('Plan id')],
			responses: answers(ok('The plan', plan), '403', '404')
		},
		patch: {
			operationId: 'updateContingencyPlan',
			summary: 'Change a plan (merge semantics; a new version with its note)',
			tags: ['contingency'],
			parameters: [pathId('Plan id')],
			requestBody: bodyOf(planFields),
			responses: answers(ok('The plan', plan), '400', '403', '404')
		}
	}
};

export const headcountTags = [
	{ name: 'headcounts', description: 'Roll calls of staff: answers and escalation' },
	{ name: 'contingency', description: 'Hibernation, relocation and evacuation plans per base' }
];
