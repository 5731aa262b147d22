/**
 * OpenAPI paths of the map's data: /map/incidents, /map/density, /areas, /areas/list and
 * /sites/{kind} (handlers in src/routes/api/v1, verbs in ./index.ts).
 */
import type { Method, Operation, Parameter } from '../api/openapi-types.ts';
import {
	answers,
	bodyOf,
	created,
	filterParams,
	geoOf,
	jsonOf,
	levelParam,
	pathId,
	ref
} from '../api/openapi-kit.ts';
import { AREA_TOLERANCE, DENSITY_CELL, MAP_POINTS } from '../api/params.ts';
import { SITE_KINDS } from '../../domain/taxonomy.ts';
import { siteCreate } from '../sites/openapi.ts';
import { LENSES, RELIABILITIES } from '../../domain/refine-filters.ts';
import { INCIDENT_STATUSES } from '../../domain/incident-schema.ts';

/** The spatial filter (issue 13; $lib/domain/spatial-filter.ts). */
export const spatialParams: Parameter[] = [
	{
		name: 'geometry',
		in: 'query',
		description:
			'GeoJSON geometry, Feature or FeatureCollection (EPSG:4326). Alone: incidents inside it ' +
			'(ST_Intersects). With within_km: within that distance of it (a corridor around a line).',
		schema: { type: 'string' }
	},
	{
		name: 'geometry_id',
		in: 'query',
		description: 'A geometry stored with POST /filter-geometries, used as geometry= is',
		schema: { type: 'string', format: 'uuid' }
	},
	{ name: 'lat', in: 'query', description: 'Circle centre', schema: { type: 'number' } },
	{ name: 'lon', in: 'query', description: 'Circle centre', schema: { type: 'number' } },
	{
		name: 'within_km',
		in: 'query',
		description: 'Distance in km (geodesic, ST_DWithin on geography)',
		schema: { type: 'number', minimum: 0.001, maximum: 500 }
	},
	{
		name: 'precise',
		in: 'query',
		description: 'true: exact locations only (no town, district or governorate centres)',
		schema: { type: 'boolean' }
	}
];

const csv = (description: string, values?: readonly string[]): Parameter => ({
	name: '',
	in: 'query',
	description,
	schema: values
		? { type: 'array', items: { type: 'string', enum: [...values] } }
		: { type: 'array', items: { type: 'string' } },
	style: 'form',
	explode: false
});

/** The map's further filters (issue 13; $lib/domain/refine-filters.ts), status aside. */
export const moreParams: Parameter[] = [
	{
		...csv(
			'NGO lens: incidents that affect us, affect NGOs, or are serious (any of those given)',
			LENSES
		),
		name: 'lens'
	},
	{ ...csv('Sub-event types (any of them)'), name: 'sub_type' },
	{ ...csv('Actor ids: incidents naming one of them as actor 1 or 2'), name: 'actor' },
	{ ...csv('Source reliability, admiralty A–F', RELIABILITIES), name: 'reliability' }
];

export const statusParam: Parameter = {
	...csv('Verification statuses', INCIDENT_STATUSES),
	name: 'status'
};

/** The place and the further filters, for the endpoints that had neither. */
export const refineParams: Parameter[] = [...spatialParams, ...moreParams, statusParam];

export const mapPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/filter-geometries': {
		post: {
			operationId: 'saveFilterGeometry',
			summary:
				'Store a geometry for filters (same shape, same id); its id goes in URLs as geometry_id',
			tags: ['map'],
			requestBody: bodyOf({
				type: 'object',
				description:
					'GeoJSON geometry, Feature or FeatureCollection; or {overlay_id, feature, name} to store ' +
					'an overlay’s feature (the whole overlay without feature) under the name the map shows'
			}),
			responses: created(
				{
					description: 'The stored geometry',
					content: jsonOf({
						type: 'object',
						properties: {
							id: { type: 'string', format: 'uuid' },
							type: { type: 'string' },
							points: { type: 'integer' },
							bbox: { type: 'array', items: { type: 'number' } },
							name: { type: ['string', 'null'] }
						}
					})
				},
				'400'
			)
		}
	},
	'/filter-geometries/{id}': {
		get: {
			operationId: 'getFilterGeometry',
			summary: 'A stored filter geometry as GeoJSON',
			tags: ['map'],
			parameters: [pathId('Filter geometry id')],
			responses: answers(
				{
					description: 'The geometry',
					content: jsonOf({
						type: 'object',
						properties: {
							id: { type: 'string' },
							geometry: { type: 'object' },
							name: {
								type: ['string', 'null'],
								description:
									'The overlay feature’s name it was stored under; null for a drawn shape'
							}
						}
					})
				},
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
				...refineParams,
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
				},
				{
					name: 'complete',
					in: 'query',
					description:
						'true: points only when every matching incident fits under limit; otherwise points ' +
						'is empty and only the counts are sent (the map then draws the view from the tiles)',
					schema: { type: 'boolean', default: false }
				}
			],
			responses: answers(
				{ description: 'Points and counts', content: jsonOf(ref('schemas', 'MapIncidents')) },
				'400'
			)
		}
	},
	'/tiles/incidents/{z}/{x}/{y}.mvt': {
		get: {
			operationId: 'incidentTile',
			summary:
				'A Mapbox Vector Tile (layer "incidents") of the incidents the caller may see: grid cells ' +
				'with count, fatalities and event_type at z ≤ 8 (and in tiles of more than 8,000 incidents), ' +
				'single incidents with id, event_type and fatalities otherwise. Each incident is in one tile ' +
				'per zoom. ETag on the incidents data version (If-None-Match → 304); Cache-Control: private.',
			tags: ['map'],
			parameters: [
				...(['z', 'x', 'y'] as const).map((name) => ({
					name,
					in: 'path' as const,
					required: true,
					schema: { type: 'integer' as const, minimum: 0 }
				})),
				...filterParams
			],
			responses: {
				...answers(
					{
						description: 'The tile',
						content: {
							'application/vnd.mapbox-vector-tile': { schema: { type: 'string', format: 'binary' } }
						}
					},
					'400'
				),
				'304': { description: 'Not modified since the ETag sent in If-None-Match' }
			}
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
						'Grid cell width in degrees of longitude. The grid is Web Mercator’s, 2^k square cells a side, the k whose width 360 / 2^k is nearest; by default about 1/128 of the viewport width',
					schema: { type: 'number', minimum: DENSITY_CELL.min, maximum: DENSITY_CELL.max }
				},
				...filterParams,
				...refineParams
			],
			responses: answers(
				{
					description:
						'Each grid cell the bbox touches that holds incidents, at its centre, counted whole: an edge cell counts its incidents beyond the bbox too',
					content: jsonOf(ref('schemas', 'DensityCells'))
				},
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
					schema: { type: 'string', enum: [...SITE_KINDS, 'displacement_locations'] }
				}
			],
			responses: answers(
				{
					description: 'A FeatureCollection of sites',
					content: geoOf(ref('schemas', 'SiteCollection'))
				},
				'400'
			)
		},
		post: siteCreate
	}
};
