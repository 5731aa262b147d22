/**
 * The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json: the assembler. Each
 * domain writes its own paths beside its code (<domain>/openapi.ts, with ./openapi-kit.ts); this
 * file holds the info, tags and shared components and gathers the paths. The integration tests
 * check that every route folder has its path here, so the two cannot drift apart silently.
 */
import { EVENT_TYPES } from '../../domain/taxonomy.ts';
import { APP_ROLES } from '../db/types.ts';
import type { OpenApiDocument, Schema } from './openapi-types.ts';
import { actorPaths, actorTags } from '../actors/openapi.ts';
import { analysisPaths, analysisTags } from '../analysis/openapi.ts';
import { incidentPaths, incidentTags } from '../incidents/openapi.ts';
import { coreIncidentPaths } from '../incidents/openapi-core.ts';
import { mapPaths } from '../map/openapi.ts';
import { authPaths } from '../auth/openapi.ts';
import { auditPaths, auditTags } from '../audit/openapi.ts';
import { sitePaths } from '../sites/openapi.ts';
import { movementPaths, movementTags } from '../movements/openapi.ts';
import { reportPaths, reportTags } from '../reports/openapi.ts';
import { riskPaths, riskTags } from '../risks/openapi.ts';
import { assessmentPaths, assessmentTags } from '../assessments/openapi.ts';
import { alertRulePaths } from '../alerts/openapi.ts';
import { jsonOf, ref } from './openapi-kit.ts';

export type * from './openapi-types.ts';

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
			sensitive_location: { type: 'boolean' },
			location_fuzzed: {
				type: 'boolean',
				description:
					'The coordinates are coarse (area centre or grid cell, geo_precision 3): a sensitive location, and the caller is not entitled to the exact point'
			},
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
			},
			by_precision: {
				type: 'object',
				additionalProperties: { type: 'integer' },
				description:
					'With a place only. Location precision → count: 1 exact, 2 near a named place (a ' +
					'town), 3 the centre of an area (district, governorate) or fuzzed for the caller'
			},
			imprecise: {
				type: 'integer',
				description: 'With a place only: incidents located only approximately (precision 2 or 3)'
			},
			precise_only: { type: 'boolean', description: 'With a place only: precise=true was given' }
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

/**
 * The creating POSTs whose Idempotency-Key the database seam honours (db/context.ts,
 * IDEMPOTENT_CREATES): a retry with the same key and body returns the first answer.
 */
const IDEMPOTENT_POSTS = [
	'/incidents/report',
	'/actors',
	'/actors/{id}/presence',
	'/relationships',
	'/contacts',
	'/sites/{kind}',
	'/movements',
	'/movements/{id}/calls',
	'/gazetteer',
	'/areas/{pcode}/levels',
	'/alerts/rules'
];

function withIdempotencyKey(paths: OpenApiDocument['paths']): OpenApiDocument['paths'] {
	for (const path of IDEMPOTENT_POSTS) {
		const op = paths[path]?.post;
		// Copies: the per-domain path objects are shared by every call of openApiDocument().
		if (op)
			paths[path] = {
				...paths[path],
				post: { ...op, parameters: [...(op.parameters ?? []), ref('parameters', 'IdempotencyKey')] }
			};
	}
	return paths;
}

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
			...incidentTags,
			...auditTags,
			...movementTags,
			...reportTags,
			...riskTags,
			...assessmentTags
		],
		paths: withIdempotencyKey({
			...actorPaths,
			...analysisPaths,
			...incidentPaths,
			...auditPaths,
			...coreIncidentPaths,
			...mapPaths,
			...authPaths,
			...sitePaths,
			...movementPaths,
			...reportPaths,
			...riskPaths,
			...assessmentPaths,
			...alertRulePaths
		}),
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
				IdempotencyKey: {
					name: 'Idempotency-Key',
					in: 'header',
					description:
						'1–200 printable ASCII characters, unique per request you mean (a UUID). Kept 24 h per user: a retry with the same key and body gets the first answer and creates nothing; the same key with another body is 422.',
					schema: { type: 'string', minLength: 1, maxLength: 200 }
				},
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
