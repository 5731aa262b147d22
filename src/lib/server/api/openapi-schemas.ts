/**
 * The named schemas of the document's `components.schemas`: the shapes several domains answer
 * with (incidents, map points, areas, sites, users, tokens), written once here so that every
 * domain's openapi.ts can $ref them instead of repeating them. api/openapi.ts assembles them.
 */
import { EVENT_TYPES } from '../../domain/taxonomy.ts';
import { APP_ROLES } from '../db/types.ts';
import type { Schema } from './openapi-types.ts';
import { featureCollection, ref } from './openapi-kit.ts';

export const sharedSchemas: Record<string, Schema> = {
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
	IncidentCollection: featureCollection(
		{
			id: { type: 'string', format: 'uuid' },
			geometry: ref('schemas', 'Point'),
			properties: ref('schemas', 'Incident')
		},
		{
			required: ['total', 'limit', 'offset'],
			properties: {
				total: {
					type: 'integer',
					description: 'Matching incidents visible to the caller, over all pages.'
				},
				limit: { type: 'integer' },
				offset: { type: 'integer' }
			}
		}
	),
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
			'One row per grid cell holding incidents: [longitude, latitude, count, fatalities], at the cell’s centre.',
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
	AreaCollection: featureCollection({
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
	}),
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
	SiteCollection: featureCollection({
		id: { type: 'string', format: 'uuid' },
		geometry: ref('schemas', 'Point'),
		properties: {
			type: 'object',
			description:
				'The registry row without its geometry (columns differ per kind; checkpoints add controlling_actor).',
			additionalProperties: true
		}
	}),
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
