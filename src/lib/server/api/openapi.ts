/**
 * The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. Written by hand as a
 * typed object next to the routes it describes; the integration tests check that every route
 * folder has its path here, so the two cannot drift apart silently.
 */
import { EVENT_TYPES, SITE_KINDS } from '../../domain/taxonomy.ts';
import { APP_ROLES } from '../db/types.ts';
import { AREA_TOLERANCE, DENSITY_CELL, INCIDENTS_PAGE, MAP_POINTS } from './params.ts';
// Each feature describes its own routes next to its code; this document gathers them.
import { actorPaths, actorTags } from '../actors/openapi.ts';
import { analysisPaths, analysisTags } from '../analysis/openapi.ts';
import { incidentPaths, incidentTags } from '../incidents/openapi.ts';
import { authPaths } from '../auth/openapi.ts';

// ---------------------------------------------------------------------------------------------
// The part of OpenAPI 3.1 this document uses.

type Ref = { $ref: string };
export interface Schema {
	type?: string | string[];
	format?: string;
	description?: string;
	enum?: readonly (string | number)[];
	items?: Schema | Ref;
	prefixItems?: (Schema | Ref)[];
	properties?: Record<string, Schema | Ref>;
	required?: readonly string[];
	additionalProperties?: boolean | Schema | Ref;
	minimum?: number;
	maximum?: number;
	minLength?: number;
	maxLength?: number;
	default?: unknown;
	examples?: unknown[];
	oneOf?: (Schema | Ref)[];
	allOf?: (Schema | Ref)[];
	const?: unknown;
}
export interface Parameter {
	name: string;
	in: 'query' | 'path' | 'header' | 'cookie';
	required?: boolean;
	description?: string;
	schema: Schema | Ref;
	style?: 'form' | 'simple';
	explode?: boolean;
}
export interface Response {
	description: string;
	content?: Record<string, { schema: Schema | Ref }>;
}
export interface Operation {
	operationId: string;
	summary: string;
	description?: string;
	tags: string[];
	parameters?: (Parameter | Ref)[];
	requestBody?: { required: boolean; content: Record<string, { schema: Schema | Ref }> };
	responses: Record<string, Response | Ref>;
	security?: Record<string, string[]>[];
}
export type Method = 'get' | 'post' | 'patch' | 'delete';
export interface OpenApiDocument {
	openapi: '3.1.0';
	info: { title: string; version: string; description: string };
	servers: { url: string }[];
	security: Record<string, string[]>[];
	tags: { name: string; description: string }[];
	paths: Record<string, Partial<Record<Method, Operation>>>;
	components: {
		securitySchemes: Record<string, Record<string, string>>;
		parameters: Record<string, Parameter>;
		responses: Record<string, Response>;
		schemas: Record<string, Schema>;
	};
}

// ---------------------------------------------------------------------------------------------

const ref = (kind: 'parameters' | 'responses' | 'schemas', name: string): Ref => ({
	$ref: `#/components/${kind}/${name}`
});
const jsonOf = (schema: Schema | Ref) => ({ 'application/json': { schema } });
const geoOf = (schema: Schema | Ref) => ({ 'application/geo+json': { schema } });

type Extra = '400' | '403' | '404' | '409';

/** The answers every authenticated operation can give: its own success, 401, and the extras. */
function answers(ok: Response, ...extra: Extra[]): Record<string, Response | Ref> {
	return answersWith('200', ok, extra);
}

function created(ok: Response, ...extra: Extra[]): Record<string, Response | Ref> {
	return answersWith('201', ok, extra);
}

function answersWith(
	status: '200' | '201',
	ok: Response,
	extra: Extra[]
): Record<string, Response | Ref> {
	const r: Record<string, Response | Ref> = {
		[status]: ok,
		'401': ref('responses', 'Unauthorized')
	};
	const names = {
		'400': 'BadRequest',
		'403': 'Forbidden',
		'404': 'NotFound',
		'409': 'Conflict'
	} as const;
	for (const code of extra) r[code] = ref('responses', names[code]);
	return r;
}

const levelParam: Parameter = {
	name: 'level',
	in: 'query',
	description: '1 governorate, 2 district, 3 sub-district',
	schema: { type: 'integer', enum: [1, 2, 3] }
};

const filterParams = [
	ref('parameters', 'from'),
	ref('parameters', 'to'),
	ref('parameters', 'type'),
	ref('parameters', 'area')
];
const pathId = (description: string): Parameter => ({
	name: 'id',
	in: 'path',
	required: true,
	description,
	schema: { type: 'string', format: 'uuid' }
});

const schemas: Record<string, Schema> = {
	Error: {
		type: 'object',
		required: ['message'],
		properties: {
			message: { type: 'string' },
			parameter: {
				type: 'string',
				description: 'The query parameter, path segment or body field that was wrong (400 only).'
			}
		}
	},
	Point: {
		type: 'object',
		required: ['type', 'coordinates'],
		properties: {
			type: { const: 'Point' },
			coordinates: {
				type: 'array',
				items: { type: 'number' },
				description: '[longitude, latitude] in WGS 84'
			}
		}
	},
	Geometry: {
		type: 'object',
		description: 'A GeoJSON geometry (Polygon or MultiPolygon for areas).',
		required: ['type', 'coordinates'],
		properties: { type: { type: 'string' }, coordinates: { type: 'array' } }
	},
	Incident: {
		type: 'object',
		description:
			'An incident: the ACLED-compatible core, the NGO lens, admiralty grading, confidentiality and status.',
		properties: {
			id: { type: 'string', format: 'uuid' },
			event_date: { type: 'string', format: 'date' },
			event_time: { type: ['string', 'null'] },
			time_precision: { type: 'string', enum: ['exact', 'day', 'week', 'month', 'year'] },
			event_type: { type: 'string', enum: EVENT_TYPES },
			sub_event_type: { type: ['string', 'null'] },
			actor1_id: { type: ['string', 'null'], format: 'uuid' },
			actor2_id: { type: ['string', 'null'], format: 'uuid' },
			actor1: { type: ['string', 'null'], description: 'Name of actor 1' },
			actor2: { type: ['string', 'null'], description: 'Name of actor 2' },
			admin1_pcode: { type: ['string', 'null'] },
			admin2_pcode: { type: ['string', 'null'] },
			admin3_pcode: { type: ['string', 'null'] },
			location_name: { type: ['string', 'null'] },
			geo_precision: { type: 'integer', minimum: 1, maximum: 3 },
			fatalities: { type: 'integer', minimum: 0 },
			injuries: { type: ['integer', 'null'] },
			abductions: { type: ['integer', 'null'] },
			notes: { type: 'string' },
			source: { type: ['string', 'null'] },
			source_scale: { type: ['string', 'null'] },
			affects_us: { type: 'boolean' },
			affects_ngos: { type: 'boolean' },
			serious: { type: 'boolean' },
			source_reliability: {
				type: ['string', 'null'],
				description: 'Admiralty grade of the source, A (reliable) to F (cannot be judged)'
			},
			info_credibility: {
				type: ['integer', 'null'],
				minimum: 1,
				maximum: 6,
				description: 'Admiralty grade of the information, 1 (confirmed) to 6 (cannot be judged)'
			},
			confidentiality: { type: 'string', enum: ['public', 'internal', 'restricted'] },
			status: { type: 'string', enum: ['reported', 'verified', 'rejected', 'archived'] },
			reported_by: { type: ['string', 'null'], format: 'uuid' },
			upstream_source: { type: ['string', 'null'] },
			upstream_id: { type: ['string', 'null'] },
			is_sample: { type: 'boolean' },
			created_at: { type: 'string', format: 'date-time' },
			updated_at: { type: 'string', format: 'date-time' }
		}
	},
	IncidentDetail: {
		description: 'An incident with its position and the names of its actors and areas.',
		allOf: [
			ref('schemas', 'Incident'),
			{
				type: 'object',
				properties: {
					lon: { type: 'number' },
					lat: { type: 'number' },
					admin1_name: { type: ['string', 'null'] },
					admin1_name_ar: { type: ['string', 'null'] },
					admin2_name: { type: ['string', 'null'] },
					admin2_name_ar: { type: ['string', 'null'] },
					admin3_name: { type: ['string', 'null'] },
					admin3_name_ar: { type: ['string', 'null'] }
				}
			}
		]
	},
	IncidentCollection: {
		type: 'object',
		required: ['type', 'features', 'total', 'limit', 'offset'],
		properties: {
			type: { const: 'FeatureCollection' },
			total: {
				type: 'integer',
				description: 'Matching incidents visible to the caller, over all pages.'
			},
			limit: { type: 'integer' },
			offset: { type: 'integer' },
			features: {
				type: 'array',
				items: {
					type: 'object',
					properties: {
						type: { const: 'Feature' },
						id: { type: 'string', format: 'uuid' },
						geometry: ref('schemas', 'Point'),
						properties: ref('schemas', 'Incident')
					}
				}
			}
		}
	},
	IncidentCounts: {
		type: 'object',
		required: ['total', 'fatalities', 'by_year', 'by_admin1', 'by_type'],
		properties: {
			total: { type: 'integer' },
			fatalities: { type: 'integer' },
			by_year: {
				type: 'object',
				additionalProperties: { type: 'integer' },
				description: 'Year → count'
			},
			by_admin1: {
				type: 'object',
				additionalProperties: { type: 'integer' },
				description: 'Governorate P-code (or "none") → count'
			},
			by_type: {
				type: 'object',
				additionalProperties: { type: 'integer' },
				description: 'Event type → count'
			}
		}
	},
	MapIncidents: {
		type: 'object',
		required: ['total', 'fatalities', 'by_type', 'points'],
		properties: {
			total: {
				type: 'integer',
				description: 'All matching incidents in the viewport, even beyond `limit`.'
			},
			fatalities: { type: 'integer' },
			by_type: { type: 'object', additionalProperties: { type: 'integer' } },
			points: {
				type: 'array',
				description: 'At most `limit` incidents, newest first, as compact rows.',
				items: {
					type: 'array',
					prefixItems: [
						{ type: 'string', format: 'uuid', description: 'id' },
						{ type: 'number', description: 'longitude' },
						{ type: 'number', description: 'latitude' },
						{ type: 'string', enum: EVENT_TYPES, description: 'event_type' },
						{ type: 'integer', description: 'fatalities' }
					]
				}
			}
		}
	},
	DensityCells: {
		type: 'array',
		description:
			'One row per grid cell holding incidents: [longitude, latitude, count, fatalities].',
		items: {
			type: 'array',
			prefixItems: [
				{ type: 'number' },
				{ type: 'number' },
				{ type: 'integer' },
				{ type: 'integer' }
			]
		}
	},
	AreaCollection: {
		type: 'object',
		required: ['type', 'features'],
		properties: {
			type: { const: 'FeatureCollection' },
			features: {
				type: 'array',
				items: {
					type: 'object',
					properties: {
						type: { const: 'Feature' },
						id: { type: 'string', description: 'P-code' },
						geometry: ref('schemas', 'Geometry'),
						properties: {
							type: 'object',
							properties: {
								pcode: { type: 'string' },
								level: { type: 'integer' },
								name_en: { type: 'string' },
								name_ar: { type: ['string', 'null'] },
								parent_pcode: { type: ['string', 'null'] },
								label_lon: { type: 'number' },
								label_lat: { type: 'number' }
							}
						}
					}
				}
			}
		}
	},
	Area: {
		type: 'object',
		properties: {
			pcode: { type: 'string' },
			level: { type: 'integer' },
			name_en: { type: 'string' },
			name_ar: { type: ['string', 'null'] },
			parent_pcode: { type: ['string', 'null'] }
		}
	},
	SiteCollection: {
		type: 'object',
		required: ['type', 'features'],
		properties: {
			type: { const: 'FeatureCollection' },
			features: {
				type: 'array',
				items: {
					type: 'object',
					properties: {
						type: { const: 'Feature' },
						id: { type: 'string', format: 'uuid' },
						geometry: ref('schemas', 'Point'),
						properties: {
							type: 'object',
							description:
								'The registry row without its geometry (columns differ per kind; checkpoints add controlling_actor).',
							additionalProperties: true
						}
					}
				}
			}
		}
	},
	User: {
		type: 'object',
		properties: {
			id: { type: 'string', format: 'uuid' },
			email: { type: 'string', format: 'email' },
			display_name: { type: 'string' },
			role: { type: 'string', enum: APP_ROLES },
			disabled: { type: 'boolean' },
			assigned_areas: { type: 'array', items: { type: 'string' } },
			created_at: { type: 'string', format: 'date-time' }
		}
	},
	NewUser: {
		type: 'object',
		required: ['email', 'role', 'password'],
		properties: {
			email: { type: 'string', format: 'email' },
			role: { type: 'string', enum: APP_ROLES },
			display_name: { type: 'string', maxLength: 200 },
			password: {
				type: 'string',
				minLength: 12,
				maxLength: 512,
				description: 'The initial password; stored as an scrypt hash.'
			}
		}
	},
	Token: {
		type: 'object',
		properties: {
			id: { type: 'string', format: 'uuid' },
			name: { type: 'string' },
			prefix: {
				type: 'string',
				description: 'The first characters of the token, to tell tokens apart.'
			},
			created_at: { type: 'string', format: 'date-time' },
			last_used_at: { type: ['string', 'null'], format: 'date-time' },
			revoked_at: { type: ['string', 'null'], format: 'date-time' },
			expires_at: { type: 'string', format: 'date-time' }
		}
	},
	NewToken: {
		type: 'object',
		required: ['id', 'name', 'prefix', 'expires_at', 'token'],
		properties: {
			id: { type: 'string', format: 'uuid' },
			name: { type: 'string' },
			prefix: { type: 'string' },
			expires_at: { type: 'string', format: 'date-time' },
			token: {
				type: 'string',
				description:
					'The secret. Shown in this response only; send it as `Authorization: Bearer <token>`.'
			}
		}
	}
};

export function openApiDocument(origin?: string): OpenApiDocument {
	return {
		openapi: '3.1.0',
		info: {
			title: 'Terrain API',
			version: '1.0.0',
			description:
				'Read access to incidents, areas and sites, and account management. Every call runs as the ' +
				'caller: row-level security decides what each role sees (viewers and field staff see only ' +
				'verified, unrestricted incidents; field staff also their own reports). Authenticate with a ' +
				'personal API token (create one under My account) as `Authorization: Bearer <token>`. ' +
				'Errors are JSON `{message, parameter?}`.'
		},
		servers: [{ url: `${origin ?? ''}/api/v1` }],
		security: [{ bearerAuth: [] }, { cookieAuth: [] }],
		tags: [
			{ name: 'incidents', description: 'Security incidents' },
			{ name: 'map', description: 'Compact shapes for the map screen' },
			{ name: 'areas', description: 'Administrative areas (COD-AB P-codes)' },
			{ name: 'sites', description: 'Health facilities, camps, checkpoints, organisation sites' },
			{ name: 'account', description: 'The caller and their API tokens' },
			{ name: 'admin', description: 'User management (admins only)' },
			...actorTags,
			...analysisTags,
			...incidentTags
		],
		paths: {
			...actorPaths,
			...analysisPaths,
			...incidentPaths,
			...authPaths,
			'/incidents': {
				get: {
					operationId: 'listIncidents',
					summary: 'Incidents as GeoJSON, newest first, paged',
					tags: ['incidents'],
					parameters: [
						...filterParams,
						ref('parameters', 'bboxOptional'),
						{
							name: 'limit',
							in: 'query',
							description: 'Page size',
							schema: {
								type: 'integer',
								minimum: INCIDENTS_PAGE.min,
								maximum: INCIDENTS_PAGE.max,
								default: INCIDENTS_PAGE.fallback
							}
						},
						{ name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } }
					],
					responses: answers(
						{
							description: 'A FeatureCollection of incidents',
							content: geoOf(ref('schemas', 'IncidentCollection'))
						},
						'400'
					)
				}
			},
			'/incidents/counts': {
				get: {
					operationId: 'countIncidents',
					summary: 'Incident totals by year, governorate and event type',
					tags: ['incidents'],
					parameters: filterParams,
					responses: answers(
						{ description: 'Counts', content: jsonOf(ref('schemas', 'IncidentCounts')) },
						'400'
					)
				}
			},
			'/incidents/{id}': {
				get: {
					operationId: 'getIncident',
					summary: 'One incident with actor and area names',
					tags: ['incidents'],
					parameters: [pathId('Incident id')],
					responses: answers(
						{ description: 'The incident', content: jsonOf(ref('schemas', 'IncidentDetail')) },
						'400',
						'404'
					)
				}
			},
			'/map/incidents': {
				get: {
					operationId: 'mapIncidents',
					summary: 'Incidents in a viewport as compact rows, with exact counts',
					tags: ['map'],
					parameters: [
						ref('parameters', 'bboxRequired'),
						...filterParams,
						{
							name: 'limit',
							in: 'query',
							description: 'Most points returned (counts stay exact)',
							schema: {
								type: 'integer',
								minimum: MAP_POINTS.min,
								maximum: MAP_POINTS.max,
								default: MAP_POINTS.fallback
							}
						}
					],
					responses: answers(
						{ description: 'Points and counts', content: jsonOf(ref('schemas', 'MapIncidents')) },
						'400'
					)
				}
			},
			'/map/density': {
				get: {
					operationId: 'mapDensity',
					summary: 'Incidents in a viewport aggregated on a grid',
					tags: ['map'],
					parameters: [
						ref('parameters', 'bboxRequired'),
						{
							name: 'cell',
							in: 'query',
							description:
								'Grid cell size in degrees; by default about 1/128 of the viewport width',
							schema: { type: 'number', minimum: DENSITY_CELL.min, maximum: DENSITY_CELL.max }
						},
						...filterParams
					],
					responses: answers(
						{ description: 'Grid cells', content: jsonOf(ref('schemas', 'DensityCells')) },
						'400'
					)
				}
			},
			'/areas': {
				get: {
					operationId: 'areasGeojson',
					summary: 'Administrative areas of one level as GeoJSON',
					tags: ['areas'],
					parameters: [
						{ ...levelParam, required: true },
						{
							name: 'tolerance',
							in: 'query',
							description: 'Simplification tolerance in degrees',
							schema: {
								type: 'number',
								minimum: AREA_TOLERANCE.min,
								maximum: AREA_TOLERANCE.max,
								default: 0.002
							}
						}
					],
					responses: answers(
						{
							description: 'A FeatureCollection of areas',
							content: geoOf(ref('schemas', 'AreaCollection'))
						},
						'400'
					)
				}
			},
			'/areas/list': {
				get: {
					operationId: 'areasList',
					summary: 'Areas without geometry, for pickers (every level when `level` is absent)',
					tags: ['areas'],
					parameters: [levelParam],
					responses: answers(
						{
							description: 'Areas',
							content: jsonOf({ type: 'array', items: ref('schemas', 'Area') })
						},
						'400'
					)
				}
			},
			'/sites/{kind}': {
				get: {
					operationId: 'sites',
					summary: 'One site registry as GeoJSON',
					tags: ['sites'],
					parameters: [
						{
							name: 'kind',
							in: 'path',
							required: true,
							schema: { type: 'string', enum: SITE_KINDS }
						}
					],
					responses: answers(
						{
							description: 'A FeatureCollection of sites',
							content: geoOf(ref('schemas', 'SiteCollection'))
						},
						'400'
					)
				}
			},
			'/me': {
				get: {
					operationId: 'me',
					summary: 'The caller’s profile',
					tags: ['account'],
					responses: answers({ description: 'The caller', content: jsonOf(ref('schemas', 'User')) })
				}
			},
			'/tokens/{id}': {
				delete: {
					operationId: 'revokeToken',
					summary: 'Revoke one of the caller’s tokens (admins: anyone’s)',
					tags: ['account'],
					parameters: [pathId('Token id')],
					responses: answers(
						{
							description: 'Revoked',
							content: jsonOf({
								type: 'object',
								properties: { id: { type: 'string', format: 'uuid' }, revoked: { const: true } }
							})
						},
						'400',
						'404'
					)
				}
			},
			'/users': {
				get: {
					operationId: 'listUsers',
					summary: 'Every user (admins only)',
					tags: ['admin'],
					responses: answers(
						{
							description: 'Users by email',
							content: jsonOf({ type: 'array', items: ref('schemas', 'User') })
						},
						'403'
					)
				},
				post: {
					operationId: 'addUser',
					summary: 'Add a local account (admins only)',
					tags: ['admin'],
					requestBody: { required: true, content: jsonOf(ref('schemas', 'NewUser')) },
					responses: created(
						{ description: 'The new user', content: jsonOf(ref('schemas', 'User')) },
						'400',
						'403',
						'409'
					)
				}
			},
			'/users/{id}/disable': {
				post: {
					operationId: 'disableUser',
					summary:
						'Disable a user and revoke their sessions and tokens (admins only; not yourself)',
					tags: ['admin'],
					parameters: [pathId('User id')],
					responses: answers(
						{ description: 'The disabled user', content: jsonOf(ref('schemas', 'User')) },
						'400',
						'403',
						'404'
					)
				}
			}
		},
		components: {
			securitySchemes: {
				bearerAuth: {
					type: 'http',
					scheme: 'bearer',
					description: 'A personal API token (trt_…), from My account.'
				},
				cookieAuth: {
					type: 'apiKey',
					in: 'cookie',
					name: 'terrain_session',
					description: 'The browser session of a signed-in user.'
				}
			},
			parameters: {
				from: {
					name: 'from',
					in: 'query',
					description: 'First event date (inclusive)',
					schema: { type: 'string', format: 'date' }
				},
				to: {
					name: 'to',
					in: 'query',
					description: 'Last event date (inclusive); not before `from`',
					schema: { type: 'string', format: 'date' }
				},
				type: {
					name: 'type',
					in: 'query',
					description: 'Event types: a comma-separated list, or the parameter repeated',
					style: 'form',
					explode: true,
					schema: { type: 'array', items: { type: 'string', enum: EVENT_TYPES } }
				},
				area: {
					name: 'area',
					in: 'query',
					description: 'P-code of a governorate, district or sub-district (e.g. IQG01, IQD0101)',
					schema: { type: 'string', examples: ['IQG01'] }
				},
				bboxOptional: {
					name: 'bbox',
					in: 'query',
					description: 'west,south,east,north in degrees (WGS 84)',
					schema: { type: 'string', examples: ['42.4,36.5,44.5,37.4'] }
				},
				bboxRequired: {
					name: 'bbox',
					in: 'query',
					required: true,
					description: 'The viewport: west,south,east,north in degrees (WGS 84)',
					schema: { type: 'string', examples: ['42.4,36.5,44.5,37.4'] }
				}
			},
			responses: {
				BadRequest: {
					description: 'A parameter is missing or wrong; `parameter` names it',
					content: jsonOf(ref('schemas', 'Error'))
				},
				Unauthorized: {
					description: 'No session and no valid API token',
					content: jsonOf(ref('schemas', 'Error'))
				},
				Forbidden: {
					description: 'The caller’s role may not do this',
					content: jsonOf(ref('schemas', 'Error'))
				},
				NotFound: {
					description: 'No such thing, or not visible to the caller',
					content: jsonOf(ref('schemas', 'Error'))
				},
				Conflict: { description: 'It already exists', content: jsonOf(ref('schemas', 'Error')) }
			},
			schemas
		}
	};
}
