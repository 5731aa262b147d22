/**
 * The OpenAPI paths of the analysis API (stats, baseline, levels, proximity, area profile), for
 * src/lib/server/api/openapi.ts to spread into its `paths` (and `analysisTags` into its tags).
 * Refers to that document's shared components (filter parameters, error responses).
 */
import type { Operation, Parameter, Response, Schema } from '../api/openapi-types.ts';
import { BIN_SIZES, STACK_GROUPS } from '../../domain/analysis.ts';
import { EVENT_TYPES, SITE_KINDS } from '../../domain/taxonomy.ts';

type Ref = { $ref: string };
type Method = 'get' | 'post' | 'delete';

const ref = (kind: 'parameters' | 'responses', name: string): Ref => ({
	$ref: `#/components/${kind}/${name}`
});
const ok = (description: string, schema: Schema): Response => ({
	description,
	content: { 'application/json': { schema } }
});
const filters = [
	ref('parameters', 'from'),
	ref('parameters', 'to'),
	ref('parameters', 'type'),
	ref('parameters', 'area'),
	ref('parameters', 'bboxOptional')
];

function answers(
	status: '200' | '201',
	body: Response,
	...extra: ('400' | '403' | '404')[]
): Record<string, Response | Ref> {
	const names = { '400': 'BadRequest', '403': 'Forbidden', '404': 'NotFound' } as const;
	const r: Record<string, Response | Ref> = {
		[status]: body,
		'401': ref('responses', 'Unauthorized')
	};
	for (const c of extra) r[c] = ref('responses', names[c]);
	return r;
}

const pcodePath: Parameter = {
	name: 'pcode',
	in: 'path',
	required: true,
	description: 'COD-AB P-code of a governorate, district or sub-district',
	schema: { type: 'string', examples: ['IQG15', 'IQG15Q01'] }
};
const asOf: Parameter = {
	name: 'as_of',
	in: 'query',
	description:
		'The last day of the windows (YYYY-MM-DD); default today. The demo data ends in December 2018.',
	schema: { type: 'string', format: 'date' }
};
const types: Parameter = {
	name: 'type',
	in: 'query',
	description: 'Event types, comma-separated',
	schema: { type: 'string', examples: [EVENT_TYPES.slice(0, 2).join(',')] }
};
const level = (description: string, values: number[]): Parameter => ({
	name: 'level',
	in: 'query',
	description,
	schema: { type: 'integer', enum: values }
});
const limit = (max: number, fallback: number): Parameter => ({
	name: 'limit',
	in: 'query',
	schema: { type: 'integer', minimum: 1, maximum: max, default: fallback }
});

const covered: Record<string, Schema> = {
	first_date: { type: ['string', 'null'], format: 'date', description: 'First event date counted' },
	last_date: { type: ['string', 'null'], format: 'date', description: 'Last event date counted' }
};
const trend: Schema = { type: 'string', enum: ['rising', 'stable', 'falling'] };
const baselineRow: Schema = {
	type: 'object',
	description:
		'Counts in the last week (as_of−6 … as_of) and 4 weeks (as_of−27 … as_of) against the 52 weeks before the 4-week window. ' +
		'Rising when observed ≥ 1.25 × expected, falling when ≤ 0.75 × expected (expected = baseline × weeks / 52); ' +
		'"stable" with low_count = true when both observed and expected are under 5 incidents.',
	properties: {
		pcode: { type: ['string', 'null'], description: 'null for the whole country' },
		level: { type: 'integer', description: '0 country, 1 governorate, 2 district, 3 sub-district' },
		name_en: { type: ['string', 'null'] },
		name_ar: { type: ['string', 'null'] },
		baseline_n: { type: 'integer' },
		weekly_average: { type: 'number' },
		week_n: { type: 'integer' },
		week_expected: { type: 'number' },
		week_change_pct: { type: ['number', 'null'] },
		week_trend: trend,
		week_low_count: { type: 'boolean' },
		four_weeks_n: { type: 'integer' },
		four_weeks_expected: { type: 'number' },
		four_weeks_change_pct: { type: ['number', 'null'] },
		four_weeks_trend: trend,
		four_weeks_low_count: { type: 'boolean' }
	}
};
const levelRecord: Schema = {
	type: 'object',
	properties: {
		id: { type: 'string', format: 'uuid' },
		pcode: { type: 'string' },
		level: { type: 'integer', minimum: 1, maximum: 5 },
		level_name: { type: 'string' },
		colour: { type: 'string' },
		note: { type: 'string' },
		effective_date: { type: 'string', format: 'date' },
		recorded_by: { type: 'string', format: 'uuid' },
		recorded_by_name: { type: ['string', 'null'] },
		recorded_at: { type: 'string', format: 'date-time' }
	}
};
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
				'200',
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
									fatalities: { type: 'integer' }
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
			tags: ['analysis'],
			parameters: [...filters, level('1 governorate, 2 district, 3 sub-district', [1, 2, 3])],
			responses: answers(
				'200',
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
				'200',
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
				'200',
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
				'200',
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
				'200',
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
				'200',
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
				'200',
				ok('One entry per area that has a level', { type: 'array', items: { type: 'object' } }),
				'400'
			)
		}
	},
	'/areas/{pcode}': {
		get: {
			operationId: 'areaProfile',
			summary: 'One area: hierarchy, sites, camps, checkpoints and current security level',
			tags: ['analysis', 'areas'],
			parameters: [pcodePath],
			responses: answers('200', ok('The area', { type: 'object' }), '400', '404')
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
				'200',
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
			responses: answers(
				'200',
				ok('Assessments', { type: 'array', items: levelRecord }),
				'400',
				'404'
			)
		},
		post: {
			operationId: 'recordAreaLevel',
			summary: 'Record a security level (analysts and admins); nothing is overwritten',
			tags: ['analysis'],
			parameters: [pcodePath],
			requestBody: {
				required: true,
				content: {
					'application/json': {
						schema: {
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
						}
					}
				}
			},
			responses: answers('201', ok('The recorded assessment', levelRecord), '400', '403', '404')
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
				'200',
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
				'200',
				ok('Targets with counts, and the incidents nearest first', proximityAnswer),
				'400',
				'404'
			)
		},
		post: {
			operationId: 'proximityPost',
			summary: 'The same with a JSON body (the query parameters as fields; geometry as GeoJSON)',
			tags: ['analysis'],
			requestBody: {
				required: true,
				content: { 'application/json': { schema: { type: 'object', required: ['km'] } } }
			},
			responses: answers('200', ok('As GET', proximityAnswer), '400', '404')
		}
	}
};
