/**
 * The OpenAPI paths of the read-only incident endpoints (/incidents as GeoJSON, /incidents/counts,
 * /incidents/{id}); reporting, import and export are in ./openapi.ts.
 */
import type { Method, Operation } from '../api/openapi-types.ts';
import { answers, filterParams, geoOf, jsonOf, pathId, ref } from '../api/openapi-kit.ts';
import { INCIDENTS_PAGE } from '../api/params.ts';
import { refineParams } from '../map/openapi.ts';

/** The read-only incident paths: /incidents (GeoJSON), /incidents/counts, /incidents/{id}. */
export const coreIncidentPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/incidents': {
		get: {
			operationId: 'listIncidents',
			summary: 'Incidents as GeoJSON, newest first, paged',
			tags: ['incidents'],
			parameters: [
				...filterParams,
				...refineParams,
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
			summary:
				'Incident totals by year, governorate and event type; within a place (geometry=, ' +
				"geometry_id=, lat/lon/within_km) also by location precision; with the map's further filters",
			tags: ['incidents'],
			parameters: [...filterParams, ...refineParams],
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
	}
};
