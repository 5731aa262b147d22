/**
 * OpenAPI paths of no-go zones (/no-go-zones…; handlers in src/routes/api/v1/no-go-zones, verbs in
 * ./index.ts). Route risk (POST /movements/risk) refuses a corridor touching one in force.
 */
import type { Method, Operation, Schema } from '../api/openapi-types.ts';
import { answers, bodyOf, fileBody, created, ok, pathId } from '../api/openapi-kit.ts';

const tags = ['movements'];
const polygon: Schema = {
	type: 'object',
	description:
		'GeoJSON Polygon or MultiPolygon (or a Feature holding one), WGS 84; a self-crossing polygon or another geometry is refused (400, parameter geometry)'
};
const zone: Schema = {
	type: 'object',
	properties: {
		id: { type: 'string', format: 'uuid' },
		name: { type: 'string' },
		reason: { type: 'string' },
		valid_from: { type: 'string', format: 'date' },
		valid_to: { type: ['string', 'null'], format: 'date' },
		created_at: { type: 'string', format: 'date-time' },
		created_by_name: { type: ['string', 'null'] },
		area_km2: { type: 'number' },
		geometry: { type: 'object', description: 'GeoJSON MultiPolygon' }
	}
};

export const noGoPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/no-go-zones': {
		get: {
			operationId: 'listNoGoZones',
			summary: 'The no-go zones, newest first (every signed-in role)',
			tags,
			parameters: [
				{
					name: 'active',
					in: 'query',
					description: 'true: only the zones in force today',
					schema: { type: 'boolean' }
				}
			],
			responses: answers(ok('Zones', { type: 'array', items: zone }))
		},
		post: {
			operationId: 'addNoGoZone',
			summary: 'Draw a no-go zone (analysts and admins; audited)',
			tags,
			requestBody: bodyOf({
				type: 'object',
				required: ['name', 'reason', 'geometry'],
				properties: {
					name: { type: 'string', maxLength: 200 },
					reason: { type: 'string', maxLength: 2000 },
					geometry: polygon,
					valid_from: { type: 'string', format: 'date', description: 'Default: today' },
					valid_to: { type: ['string', 'null'], format: 'date', description: 'Default: none' }
				}
			}),
			responses: created(ok('The zone', zone), '400', '403')
		}
	},
	'/no-go-zones/{id}': {
		delete: {
			operationId: 'deleteNoGoZone',
			summary: 'Remove a no-go zone (analysts and admins; audited)',
			tags,
			parameters: [pathId('Zone id')],
			responses: answers(
				ok('Removed', {
					type: 'object',
					properties: { id: { type: 'string' }, deleted: { type: 'boolean' } }
				}),
				'403',
				'404'
			)
		}
	},
	'/no-go-zones/file': {
		post: {
			operationId: 'noGoZoneFromFile',
			summary: 'The polygon in a KML, KMZ or GeoJSON file (nothing is saved)',
			tags,
			requestBody: fileBody(),
			responses: answers(
				ok('The first polygon', {
					type: 'object',
					properties: {
						geometry: polygon,
						name: { type: ['string', 'null'] },
						source: { type: 'string' }
					}
				}),
				'400',
				'403'
			)
		}
	}
};
