/**
 * OpenAPI paths of the map's data: /map/incidents, /map/density, /areas, /areas/list and
 * /sites/{kind} (handlers in src/routes/api/v1, verbs in ./index.ts).
 */
import type { Method, Operation } from '../api/openapi-types.ts';
import { answers, filterParams, geoOf, jsonOf, levelParam, ref } from '../api/openapi-kit.ts';
import { AREA_TOLERANCE, DENSITY_CELL, MAP_POINTS } from '../api/params.ts';
import { SITE_KINDS } from '../../domain/taxonomy.ts';
import { siteCreate } from '../sites/openapi.ts';

export const mapPaths: Record<string, Partial<Record<Method, Operation>>> = {
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
					description: 'Grid cell size in degrees; by default about 1/128 of the viewport width',
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
