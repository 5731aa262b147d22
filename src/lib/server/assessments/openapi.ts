/**
 * OpenAPI paths of area assessment: /assessments…, /areas/{pcode}/community (handlers in
 * src/routes/api/v1, verbs in ./index.ts).
 */
import type { Method, Operation, Parameter, Schema } from '../api/openapi-types.ts';
import { answers, bodyOf, created, jsonOf, obj, pathId, ref } from '../api/openapi-kit.ts';

export const assessmentTags = [
	{ name: 'assessments', description: 'Area profiles, community profiles and saved assessments' }
];

const T = ['assessments'];
const int: Schema = { type: 'integer' };
const arr: Schema = { type: 'array', items: { type: 'object' } };

const query = obj({
	area: { type: 'string', description: 'An admin area P-code (instead of geometry)' },
	geometry: {
		...ref('schemas', 'Geometry'),
		description:
			'A GeoJSON Polygon or MultiPolygon (at most 5000 vertices, edges must not cross), or a Point or LineString with buffer_km'
	} as unknown as Schema,
	buffer_km: {
		type: 'number',
		maximum: 100,
		description: 'Radius around the geometry, more than 0'
	},
	as_of: {
		type: 'string',
		format: 'date',
		description: 'Default: the latest incident date visible'
	}
});

const profile: Schema = obj(
	{
		as_of: { type: 'string', format: 'date' },
		area: obj({ mode: { enum: ['area', 'geometry', 'buffer'] }, area_km2: { type: 'number' } }),
		incidents: obj(
			{
				total: int,
				counted_by: {
					enum: ['area_pcode', 'exact_location'],
					description:
						'area_pcode: incidents placed in the admin area by P-code, the incident list’s area filter ' +
						'(the two totals are equal); exact_location: a drawn area or buffer counts exact locations only'
				},
				coarser_not_counted: {
					description:
						'Incidents whose point lies inside the area but whose location is too coarse for it; not in total',
					...obj(
						{
							total: int,
							by_precision: {
								type: 'object',
								additionalProperties: int,
								description:
									'1 exact point not placed in the area, 2 near a named place or district-level, ' +
									'3 governorate, region or an area centre (also a location shown to the caller only coarsely)'
							}
						},
						['total', 'by_precision']
					)
				},
				by_year: { type: 'object', additionalProperties: int },
				by_type: { type: 'object', additionalProperties: int },
				by_type_12m: { type: 'object', additionalProperties: int },
				last_12_months: int,
				previous_12_months: int,
				trend: { type: 'object', description: 'last 12 months against the 12 before' },
				baseline: { type: 'object', description: 'last 4 weeks against the 52 before' },
				monthly: arr,
				serious: arr,
				top_actors: arr
			},
			['total', 'by_year']
		),
		camps: obj({ count: int, population: int, list: arr }, ['count', 'population']),
		health_facilities: obj({ count: int, supported: int, by_type: { type: 'object' }, list: arr }, [
			'count'
		]),
		checkpoints: arr,
		org_sites: arr,
		actors: arr,
		relationships: arr,
		security_levels: arr,
		population: { type: ['object', 'null'] },
		nearest: { type: 'object' },
		contacts: obj({
			count: int,
			names: { type: ['array', 'null'], description: 'Null for roles that may not read contacts' }
		}),
		community: arr
	},
	['incidents', 'camps', 'health_facilities', 'checkpoints', 'actors']
);
const assessment: Schema = obj({
	id: { type: 'string', format: 'uuid' },
	title: { type: 'string' },
	status: { enum: ['draft', 'final'] },
	query,
	notes: { type: 'string', description: 'Markdown' },
	author_name: { type: 'string' },
	snapshot: profile,
	snapshot_at: { type: 'string', format: 'date-time' }
});
const pcode: Parameter = {
	name: 'pcode',
	in: 'path',
	required: true,
	schema: { type: 'string', examples: ['IQD0101'] }
};
const q = (name: string, schema: Schema, description: string): Parameter => ({
	name,
	in: 'query',
	description,
	schema
});
const community = obj({
	population: int,
	population_source: { type: 'string' },
	population_date: { type: 'string', format: 'date' },
	idps: int,
	returnees: int,
	composition: { type: 'string' },
	marginalised_groups: { type: 'string' },
	acceptance_issues: { type: 'string' },
	languages: { type: 'array', items: { type: 'string' } },
	notes: { type: 'string' }
});
const op = (o: Omit<Operation, 'tags'>): Operation => ({ tags: T, ...o });

export const assessmentPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/assessments/profile': {
		get: op({
			operationId: 'assessmentProfileGet',
			summary: 'Profile of an admin area, or of a point buffered by a radius',
			parameters: [
				q('area', { type: 'string' }, 'Admin area P-code'),
				q('lon', { type: 'number' }, 'Point longitude (with lat and buffer_km)'),
				q('lat', { type: 'number' }, 'Point latitude'),
				q('buffer_km', { type: 'number' }, 'Radius in km'),
				q('as_of', { type: 'string', format: 'date' }, 'Last day of every window')
			],
			responses: answers({ description: 'The profile', content: jsonOf(profile) }, '400', '404')
		}),
		post: op({
			operationId: 'assessmentProfilePost',
			summary: 'Profile of a drawn polygon, a buffered point or route, or an admin area',
			requestBody: bodyOf(query),
			responses: answers({ description: 'The profile', content: jsonOf(profile) }, '400', '404')
		})
	},
	'/assessments': {
		get: op({
			operationId: 'assessmentsList',
			summary: 'Saved assessments the caller may read',
			parameters: [q('status', { enum: ['draft', 'final'] }, 'Only drafts or only final ones')],
			responses: answers({ description: 'Assessments', content: jsonOf(arr) }, '400')
		}),
		post: op({
			operationId: 'assessmentCreate',
			summary: 'Save a draft assessment; its profile becomes the snapshot',
			requestBody: bodyOf(
				obj({ title: { type: 'string' }, query, notes: { type: 'string' } }, ['title', 'query'])
			),
			responses: created({ description: 'Saved', content: jsonOf(assessment) }, '400', '403')
		})
	},
	'/assessments/{id}': {
		get: op({
			operationId: 'assessmentGet',
			summary: 'One assessment; ?format=pdf prints it',
			parameters: [
				pathId('Assessment id'),
				{
					name: 'format',
					in: 'query',
					description:
						'json (default) or pdf: the profile printed (classification marking) by headless Chromium with the caller’s credential, need-to-know applied; 503 in one line without Chromium',
					schema: { type: 'string', enum: ['json', 'pdf'] }
				}
			],
			responses: answers(
				{
					description: 'The assessment (JSON) or its profile as a PDF',
					content: {
						...jsonOf(assessment),
						'application/pdf': { schema: { type: 'string', format: 'binary' } }
					}
				},
				'400',
				'404'
			)
		}),
		patch: op({
			operationId: 'assessmentUpdate',
			summary: 'Change a draft: title, notes, status (final), refresh',
			parameters: [pathId('Assessment id')],
			requestBody: bodyOf(
				obj({
					title: { type: 'string' },
					notes: { type: 'string' },
					status: { enum: ['draft', 'final'] },
					refresh: { type: 'boolean' }
				})
			),
			responses: answers(
				{ description: 'Changed', content: jsonOf(assessment) },
				'400',
				'403',
				'404'
			)
		}),
		delete: op({
			operationId: 'assessmentDelete',
			summary: 'Delete a draft (its author) or any assessment (admins)',
			parameters: [pathId('Assessment id')],
			responses: answers({ description: 'Deleted', content: jsonOf(obj({})) }, '403', '404')
		})
	},
	'/assessments/{id}/rerun': {
		post: op({
			operationId: 'assessmentRerun',
			summary: 'Run a saved assessment again and list what changed',
			parameters: [pathId('Assessment id')],
			responses: answers(
				{
					description: 'Saved and current profiles with the changes',
					content: jsonOf(obj({ assessment, current: profile, changes: arr }))
				},
				'404'
			)
		})
	},
	'/assessments/community-import': {
		post: op({
			operationId: 'communityImport',
			summary: 'Import community profiles from a CSV keyed by pcode (all rows or none)',
			requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } } } },
			responses: created(
				{ description: 'Imported', content: jsonOf(obj({ imported: int })) },
				'400',
				'403'
			)
		})
	},
	'/areas/{pcode}/community': {
		get: op({
			operationId: 'areaCommunityGet',
			summary: "An area's community profile and its history",
			parameters: [pcode],
			responses: answers({ description: 'Profile and history', content: jsonOf(obj({})) }, '404')
		}),
		patch: op({
			operationId: 'areaCommunityUpdate',
			summary: "Change an area's community profile (analysts and admins)",
			parameters: [pcode],
			requestBody: bodyOf(community),
			responses: answers({ description: 'Saved', content: jsonOf(community) }, '400', '403', '404')
		})
	}
};
