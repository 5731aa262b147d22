/**
 * The OpenAPI paths of one area's profile and security levels, the map highlight and proximity,
 * spread into analysisPaths (analysis/openapi.ts).
 */
import type { Method, Operation, Parameter, Schema } from '../api/openapi-types.ts';
import { SITE_KINDS } from '../../domain/taxonomy.ts';
import { answers, bodyOf, created, ok } from '../api/openapi-kit.ts';
import {
	filters,
	pcodePath,
	asOf,
	types,
	limit,
	baselineRow,
	levelRecord
} from './openapi-shapes.ts';

const proximityParams: Parameter[] = [
	{
		name: 'km',
		in: 'query',
		required: true,
		description: 'Distance in kilometres (0 < km ≤ 200)',
		schema: { type: 'number' }
	},
	{
		name: 'days',
		in: 'query',
		description: 'Days back, counting as_of itself',
		schema: { type: 'integer', minimum: 1, maximum: 36600, default: 30 }
	},
	asOf,
	{
		name: 'site_kind',
		in: 'query',
		description: 'Measure from all sites of this registry (or only site_id)',
		schema: { type: 'string', enum: SITE_KINDS }
	},
	{ name: 'site_id', in: 'query', schema: { type: 'string', format: 'uuid' } },
	{
		name: 'geometry',
		in: 'query',
		description:
			'Instead of sites: a GeoJSON Point, LineString or Polygon (or Feature), URL-encoded',
		schema: { type: 'string' }
	},
	types,
	{
		name: 'limit',
		in: 'query',
		description: 'Most incidents listed (totals stay exact)',
		schema: { type: 'integer', minimum: 0, maximum: 10000, default: 500 }
	}
];
const proximityAnswer: Schema = {
	type: 'object',
	properties: {
		km: { type: 'number' },
		days: { type: 'integer' },
		from: { type: 'string', format: 'date' },
		to: { type: 'string', format: 'date' },
		total: { type: 'integer' },
		fatalities: { type: 'integer' },
		targets: { type: 'array', items: { type: 'object' } },
		incidents: {
			type: 'array',
			items: { type: 'object', description: 'Nearest first; distance_m to the nearest target' }
		}
	}
};

export const areaPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/areas/{pcode}': {
		get: {
			operationId: 'areaProfile',
			summary: 'One area: hierarchy, sites, camps, checkpoints and current security level',
			tags: ['analysis', 'areas'],
			parameters: [pcodePath],
			responses: answers(ok('The area', { type: 'object' }), '400', '404')
		}
	},
	'/areas/{pcode}/baseline': {
		get: {
			operationId: 'areaBaseline',
			summary:
				'An area’s last-week and last-4-week counts against its 52-week average, flagged, with 56 weekly counts',
			tags: ['analysis'],
			parameters: [pcodePath, asOf, types],
			responses: answers(
				ok('The windows, the rule, the row and the weeks', {
					type: 'object',
					properties: { row: baselineRow, weeks: { type: 'array' } }
				}),
				'400',
				'404'
			)
		}
	},
	'/areas/{pcode}/levels': {
		get: {
			operationId: 'areaLevels',
			summary: 'An area’s security level history, newest first',
			tags: ['analysis'],
			parameters: [pcodePath, limit(1000, 200)],
			responses: answers(ok('Assessments', { type: 'array', items: levelRecord }), '400', '404')
		},
		post: {
			operationId: 'recordAreaLevel',
			summary: 'Record a security level (analysts and admins); nothing is overwritten',
			tags: ['analysis'],
			parameters: [pcodePath],
			requestBody: bodyOf({
				type: 'object',
				required: ['level', 'note'],
				properties: {
					level: {
						type: 'integer',
						minimum: 1,
						maximum: 5,
						description: '1 low, 2 moderate, 3 substantial, 4 high, 5 extreme'
					},
					note: { type: 'string', minLength: 1, maxLength: 2000 },
					effective_date: {
						type: 'string',
						format: 'date',
						description: 'Not in the future; default today'
					}
				}
			}),
			responses: created(ok('The recorded assessment', levelRecord), '400', '403', '404')
		}
	},
	'/map/highlight': {
		get: {
			operationId: 'mapHighlight',
			summary:
				'The incidents behind one analysis chart bar: the filters narrowed by hour, weekday, actor or an area group',
			tags: ['analysis', 'map'],
			parameters: [
				...filters,
				{
					name: 'hour',
					in: 'query',
					description:
						'Hour of day 0–23; only incidents whose time is exact (as /stats/time-of-day counts them)',
					schema: { type: 'integer', minimum: 0, maximum: 23 }
				},
				{
					name: 'dow',
					in: 'query',
					description: 'ISO day of week, 1 Monday … 7 Sunday; only incidents whose day is known',
					schema: { type: 'integer', minimum: 1, maximum: 7 }
				},
				{
					name: 'actor',
					in: 'query',
					description: 'An actor on either side',
					schema: { type: 'string', format: 'uuid' }
				},
				{
					name: 'admin_level',
					in: 'query',
					description:
						'The area level admin_in / admin_out speak of: 1 governorate, 2 district, 3 sub-district',
					schema: { type: 'integer', enum: [1, 2, 3] }
				},
				{
					name: 'admin_in',
					in: 'query',
					description:
						'Only incidents in one of these areas of admin_level (comma-separated P-codes; "none": in no area of that level)',
					schema: { type: 'string', examples: ['IQG15', 'none'] }
				},
				{
					name: 'admin_out',
					in: 'query',
					description: 'Only incidents in none of these (as admin_in): a chart\'s "other" group',
					schema: { type: 'string', examples: ['IQG15,IQG21,none'] }
				},
				{
					name: 'limit',
					in: 'query',
					description: 'Most points returned, newest first (counts stay exact)',
					schema: { type: 'integer', minimum: 0, maximum: 20000, default: 5000 }
				}
			],
			responses: answers(
				ok('Exact counts and the points [id, lon, lat, event_type, fatalities]', {
					type: 'object',
					properties: {
						total: { type: 'integer' },
						fatalities: { type: 'integer' },
						by_type: { type: 'object' },
						points: { type: 'array' }
					}
				}),
				'400'
			)
		}
	},
	'/proximity': {
		get: {
			operationId: 'proximity',
			summary:
				'Incidents within km of our sites, a facility, a camp, a checkpoint or a geometry, in the last days',
			tags: ['analysis'],
			parameters: proximityParams,
			responses: answers(
				ok('Targets with counts, and the incidents nearest first', proximityAnswer),
				'400',
				'404'
			)
		},
		post: {
			operationId: 'proximityPost',
			summary: 'The same with a JSON body (the query parameters as fields; geometry as GeoJSON)',
			tags: ['analysis'],
			requestBody: bodyOf({ type: 'object', required: ['km'] }),
			responses: answers(ok('As GET', proximityAnswer), '400', '404')
		}
	}
};
