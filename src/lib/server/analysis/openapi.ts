/**
 * The OpenAPI paths of the analysis API (stats, baseline, levels, proximity, area profile), for
 * src/lib/server/api/openapi.ts to spread into its `paths` (and `analysisTags` into its tags).
 * Refers to that document's shared components (filter parameters, error responses); one area's
 * profile, the highlight and proximity are in ./openapi-areas.ts.
 */
import type { Method, Operation } from '../api/openapi-types.ts';
import { BIN_SIZES, STACK_GROUPS } from '../../domain/analysis.ts';
import { answers, ok } from '../api/openapi-kit.ts';
import { areaPaths } from './openapi-areas.ts';
import { refineParams } from '../map/openapi.ts';
import { filters, asOf, types, level, limit, covered, baselineRow } from './openapi-shapes.ts';

export const analysisTags = [
	{ name: 'analysis', description: 'Trends, baselines, proximity and security levels' }
];

export const analysisPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/stats/incidents': {
		get: {
			operationId: 'incidentStats',
			summary:
				'Incidents and fatalities per day, ISO week (Monday first) or month, per event type, governorate or district',
			tags: ['analysis'],
			parameters: [
				...filters,
				{ name: 'by', in: 'query', schema: { type: 'string', enum: BIN_SIZES, default: 'month' } },
				{
					name: 'group',
					in: 'query',
					description: 'type, area1 (governorate), area2 (district) or none',
					schema: { type: 'string', enum: STACK_GROUPS, default: 'type' }
				}
			],
			responses: answers(
				ok('Sparse bins (a bin with no incident is absent), named by their first day', {
					type: 'object',
					properties: {
						by: { type: 'string' },
						group: { type: 'string' },
						total: { type: 'integer' },
						fatalities: { type: 'integer' },
						...covered,
						groups: { type: 'array', items: { type: 'object' } },
						bins: {
							type: 'array',
							items: {
								type: 'object',
								properties: {
									bin: { type: 'string', format: 'date' },
									key: { type: 'string' },
									n: { type: 'integer' },
									fatalities: {
										type: ['integer', 'null'],
										description: 'null when none of the bin’s incidents has a known fatality count'
									}
								}
							}
						}
					}
				}),
				'400'
			)
		}
	},
	'/stats/areas': {
		get: {
			operationId: 'incidentsByArea',
			summary:
				'Incidents and fatalities per area of one level (zeros included), and those in no area',
			description:
				'Counts under the same filters as GET /incidents and the map: the shared filters, a ' +
				'place (geometry=, geometry_id=, lat=&lon=&within_km=, precise=) and the further ' +
				'filters (lens, sub_type, actor, status, reliability). Each level sums to that total.',
			tags: ['analysis'],
			parameters: [
				...filters,
				level('1 governorate, 2 district, 3 sub-district', [1, 2, 3]),
				...refineParams
			],
			responses: answers(
				ok('Areas, most incidents first', {
					type: 'object',
					properties: { ...covered, areas: { type: 'array', items: { type: 'object' } } }
				}),
				'400'
			)
		}
	},
	'/stats/calendar': {
		get: {
			operationId: 'incidentsCalendar',
			summary: 'Incidents and fatalities per day',
			tags: ['analysis'],
			parameters: filters,
			responses: answers(
				ok('[date, incidents, fatalities] per day with incidents', {
					type: 'object',
					properties: { ...covered, days: { type: 'array' } }
				}),
				'400'
			)
		}
	},
	'/stats/time-of-day': {
		get: {
			operationId: 'incidentsTimeOfDay',
			summary:
				'Incidents by hour (only where the time is known) and by day of week (only where the day is known)',
			tags: ['analysis'],
			parameters: filters,
			responses: answers(
				ok(
					'by_hour: 24 counts; by_dow: 7 counts, Monday first; with_time / with_day: how many incidents each rests on',
					{
						type: 'object',
						properties: {
							total: { type: 'integer' },
							with_time: { type: 'integer' },
							with_day: { type: 'integer' },
							by_hour: { type: 'array' },
							by_dow: { type: 'array' }
						}
					}
				),
				'400'
			)
		}
	},
	'/stats/actors': {
		get: {
			operationId: 'topActors',
			summary: 'The actors most often involved (either side)',
			tags: ['analysis'],
			parameters: [...filters, limit(100, 10)],
			responses: answers(
				ok('Actors, most incidents first', {
					type: 'object',
					properties: { ...covered, actors: { type: 'array' } }
				}),
				'400'
			)
		}
	},
	'/stats/sources': {
		get: {
			operationId: 'incidentSources',
			summary: 'Where the matching incidents come from, with the dates each source covers',
			tags: ['analysis'],
			parameters: filters,
			responses: answers(
				ok('Per upstream source (null: reported in Terrain)', {
					type: 'array',
					items: { type: 'object' }
				}),
				'400'
			)
		}
	},
	'/stats/baseline': {
		get: {
			operationId: 'baselineTable',
			summary:
				'Every area and the country: last week and last 4 weeks against the 52-week average, flagged',
			tags: ['analysis'],
			parameters: [
				asOf,
				types,
				level('0 country, 1 governorate, 2 district, 3 sub-district (default all)', [0, 1, 2, 3]),
				{
					name: 'parent',
					in: 'query',
					description: 'Only this area and the areas directly inside it',
					schema: { type: 'string' }
				}
			],
			responses: answers(
				ok('The windows, the rule and one row per area', {
					type: 'object',
					properties: {
						as_of: { type: 'string', format: 'date' },
						rows: { type: 'array', items: baselineRow }
					}
				}),
				'400',
				'404'
			)
		}
	},
	'/stats/levels': {
		get: {
			operationId: 'currentLevels',
			summary:
				'The security level in force per area on a date (own or inherited from the enclosing area)',
			tags: ['analysis'],
			parameters: [asOf, level('Areas of this level only', [1, 2, 3])],
			responses: answers(
				ok('One entry per area that has a level', { type: 'array', items: { type: 'object' } }),
				'400'
			)
		}
	},
	...areaPaths
};
