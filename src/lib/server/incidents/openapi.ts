/**
 * The OpenAPI paths of incident reporting, import and export (handlers in src/routes/api/v1/{incidents/report,imports,exports}), for
 * src/lib/server/api/openapi.ts to spread into its `paths` (and `incidentTags` into its tags).
 * Refers to that document's shared components (filter parameters, error responses).
 */
import type { Operation, Parameter, Response, Schema } from '../api/openapi-types.ts';
import { EVENT_TYPES } from '../../domain/taxonomy.ts';
import { bodyOf } from '../api/openapi-kit.ts';
import {
	CONFIDENTIALITY,
	INCIDENT_STATUSES,
	OPS_IMPACT,
	SOURCE_RELIABILITY,
	TIME_PRECISIONS
} from '../../domain/incident-schema.ts';
import { IMPORT_FORMATS } from '../import/types.ts';
import { EXPORT_FORMATS } from '../export/index.ts';
import { LIST_SORTS } from './http.ts';
import { moreParams, spatialParams } from '../map/openapi.ts';

type Ref = { $ref: string };
type Method = 'get' | 'post' | 'patch' | 'delete';
const ref = (kind: 'parameters' | 'responses', name: string): Ref => ({
	$ref: `#/components/${kind}/${name}`
});
const ok = (description: string, schema: Schema, type = 'application/json'): Response => ({
	description,
	content: { [type]: { schema } }
});
const filters = [
	ref('parameters', 'from'),
	ref('parameters', 'to'),
	ref('parameters', 'type'),
	ref('parameters', 'areas'),
	ref('parameters', 'bboxOptional')
];
const q = (name: string, description: string, schema: Schema): Parameter => ({
	name,
	in: 'query',
	description,
	schema
});

function answers(
	status: '200' | '201',
	body: Response,
	...extra: ('400' | '403' | '404' | '413' | '422')[]
): Record<string, Response | Ref> {
	const names = { '400': 'BadRequest', '403': 'Forbidden', '404': 'NotFound' } as const;
	const r: Record<string, Response | Ref> = {
		[status]: body,
		'401': ref('responses', 'Unauthorized')
	};
	for (const c of extra) {
		if (c === '413') r[c] = { description: 'The upload is larger than the limit' };
		else if (c === '422')
			r[c] = ok(
				'The file cannot be imported (`fatal`), or rows have errors and nothing was written',
				{ type: 'object' }
			);
		else r[c] = ref('responses', names[c]);
	}
	return r;
}

const idPath: Parameter = {
	name: 'id',
	in: 'path',
	required: true,
	description: 'The incident id',
	schema: { type: 'string', format: 'uuid' }
};

const incidentInput: Schema = {
	type: 'object',
	description:
		'A report. The location is lon+lat, or `coordinates` as typed (decimal "36.34, 43.13", DMS, MGRS), or an admin area `admin_pcode`.',
	required: ['event_date', 'event_type'],
	properties: {
		event_date: { type: 'string', format: 'date' },
		event_time: { type: 'string', examples: ['14:30'] },
		time_precision: { type: 'string', enum: TIME_PRECISIONS },
		event_type: { type: 'string', enum: EVENT_TYPES },
		sub_event_type: { type: 'string', description: 'ACLED sub-event type of the event type' },
		lon: { type: 'number', minimum: -180, maximum: 180 },
		lat: { type: 'number', minimum: -90, maximum: 90 },
		coordinates: {
			type: 'string',
			examples: ['36.34, 43.13', '36°20′24″N 43°07′48″E', '38S LF 32178 23283']
		},
		admin_pcode: { type: 'string' },
		location_name: { type: 'string' },
		actor1: {
			type: 'object',
			properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } }
		},
		actor2: {
			type: 'object',
			properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } }
		},
		fatalities: { type: 'integer', minimum: 0 },
		injuries: { type: 'integer', minimum: 0 },
		abductions: { type: 'integer', minimum: 0 },
		affects_us: { type: 'boolean' },
		sensitive_location: {
			type: 'boolean',
			description:
				'Analysts and admins: show the location only coarsely to viewers and to field staff outside its area. Not sent: on when affects_us is.'
		},
		affects_ngos: { type: 'boolean' },
		serious: { type: 'boolean' },
		ops_impact: { type: 'string', enum: OPS_IMPACT },
		source: { type: 'string' },
		source_reliability: { type: 'string', enum: SOURCE_RELIABILITY },
		info_credibility: { type: 'integer', minimum: 1, maximum: 6 },
		confidentiality: { type: 'string', enum: CONFIDENTIALITY },
		notes: { type: 'string' },
		status: {
			type: 'string',
			enum: ['reported', 'verified'],
			description: 'verified: analysts and admins only'
		}
	}
};

const op = (o: Omit<Operation, 'tags'>): Operation => ({ tags: ['incident reporting'], ...o });

export const incidentTags = [
	{
		name: 'incident reporting',
		description: 'Report, verify, review, merge; import and export files'
	}
];

export const incidentPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/incidents/report': {
		get: op({
			operationId: 'listIncidentReports',
			summary: 'The incident list: filters, full-text search, sort, pages',
			parameters: [
				...filters,
				q(
					'q',
					'Full-text search of descriptions, places and sources (web-search syntax: "two words" -not OR)',
					{ type: 'string' }
				),
				q('status', 'Comma-separated statuses', {
					type: 'string',
					examples: ['reported,verified']
				}),
				...spatialParams,
				...moreParams,
				q('sort', 'Sort column (relevance when q is given)', { type: 'string', enum: LIST_SORTS }),
				q('dir', 'Sort direction', { type: 'string', enum: ['asc', 'desc'] }),
				q('page', 'Page number from 1', { type: 'integer', minimum: 1 }),
				q('size', 'Rows per page', { type: 'integer', minimum: 1, maximum: 500 })
			],
			responses: answers('200', ok('{total, page, size, rows}', { type: 'object' }), '400')
		}),
		post: op({
			operationId: 'reportIncident',
			summary:
				'Report an incident (field staff, analysts, admins); answers it with likely duplicates',
			parameters: [
				q('km', 'Duplicate search radius in km (default 5)', { type: 'number' }),
				q('days', 'Duplicate time window in days (default 1)', { type: 'integer' })
			],
			requestBody: bodyOf(incidentInput),
			responses: answers('201', ok('{incident, duplicates}', { type: 'object' }), '400', '403')
		})
	},
	'/incidents/report/{id}': {
		get: op({
			operationId: 'getIncidentReport',
			summary:
				'One incident with its history (who, when, before → after); duplicates and merges for analysts',
			parameters: [idPath],
			responses: answers(
				'200',
				ok('{incident, history, duplicates?, merges?}', { type: 'object' }),
				'400',
				'404'
			)
		}),
		post: op({
			operationId: 'editIncidentReport',
			summary: 'Edit the fields sent (analysts, admins); status changes go through /transition',
			parameters: [idPath],
			requestBody: bodyOf({ type: 'object' }),
			responses: answers('200', ok('The incident', { type: 'object' }), '400', '403', '404')
		}),
		patch: op({
			operationId: 'patchIncidentReport',
			summary:
				'Merge semantics: only the fields sent change (same as POST). A point outside the operating area needs `confirm_outside_area: true`',
			parameters: [idPath],
			requestBody: bodyOf({ type: 'object' }),
			responses: answers('200', ok('The incident', { type: 'object' }), '400', '403', '404')
		})
	},
	'/incidents/report/{id}/transition': {
		post: op({
			operationId: 'transitionIncident',
			summary: 'reported → verified | rejected (reason required) → archived (analysts, admins)',
			parameters: [idPath],
			requestBody: bodyOf({
				type: 'object',
				required: ['to'],
				properties: {
					to: { type: 'string', enum: INCIDENT_STATUSES },
					reason: { type: 'string' }
				}
			}),
			responses: answers('200', ok('The incident', { type: 'object' }), '400', '403', '404')
		})
	},
	'/incidents/report/{id}/merge': {
		post: op({
			operationId: 'mergeIncident',
			summary:
				'Merge the incident `other` into this one, keeping both sources (audited, reversible)',
			parameters: [idPath],
			requestBody: bodyOf({
				type: 'object',
				required: ['other'],
				properties: { other: { type: 'string', format: 'uuid' }, reason: { type: 'string' } }
			}),
			responses: answers('200', ok('{merge_id, incident}', { type: 'object' }), '400', '403', '404')
		}),
		delete: op({
			operationId: 'unmergeIncident',
			summary: 'Undo a merge',
			parameters: [
				idPath,
				{
					name: 'merge',
					in: 'query',
					required: true,
					description: 'The merge id',
					schema: { type: 'string', format: 'uuid' }
				}
			],
			responses: answers('200', ok('{kept, restored}', { type: 'object' }), '400', '403', '404')
		})
	},
	'/imports': {
		get: op({
			operationId: 'listImports',
			summary: 'The caller’s recent imports and the saved column mappings (analysts, admins)',
			responses: answers('200', ok('{jobs, mappings}', { type: 'object' }), '403')
		}),
		post: op({
			operationId: 'importFile',
			summary:
				'Import the request body (the file itself, or multipart field `file`): dry run, all-or-nothing commit, or valid rows only',
			parameters: [
				q('into', 'Target', {
					type: 'string',
					enum: ['incidents', 'health-facilities', 'idp-camps', 'checkpoints', 'sites', 'actors']
				}),
				q('format', 'Format (default: recognised from the name and content)', {
					type: 'string',
					enum: IMPORT_FORMATS
				}),
				q('filename', 'The file’s name (for messages and the default source name)', {
					type: 'string'
				}),
				q(
					'source',
					'Upstream source name; re-imports update its records. Required to commit an incident file with an id column that is not ACLED or UCDP (the dry run suggests one)',
					{ type: 'string' }
				),
				q(
					'values',
					'JSON {"event_type": {"value in the file": "event_type[/sub-event type]"}}: the event type column’s own words; remembered for the caller’s next file with that column',
					{ type: 'string' }
				),
				q('status', 'Status of new incidents', { type: 'string', enum: ['reported', 'verified'] }),
				q('map', 'FIELD=COLUMN (repeatable) or a JSON object', { type: 'string' }),
				q('encoding', 'Text encoding (default: detected)', {
					type: 'string',
					enum: ['utf-8', 'utf-16le', 'utf-16be', 'windows-1256', 'windows-1252', 'iso-8859-1']
				}),
				q(
					'dates',
					'Day/month order of numeric dates; without it the file must show it, else the answer asks (fatal.code date_order)',
					{ type: 'string', enum: ['dmy', 'mdy'] }
				),
				q('dry_run', 'Check only; write nothing', { type: 'boolean' }),
				q('valid_only', 'Import the valid rows and list the skipped ones', { type: 'boolean' }),
				q('preview', 'Dry run: how many rows to return for the preview', {
					type: 'integer',
					maximum: 50
				}),
				q('progress', 'Answer NDJSON: {"progress":…} lines, then {"summary":…}', {
					type: 'boolean'
				})
			],
			requestBody: {
				required: true,
				content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } }
			},
			responses: answers(
				'200',
				ok(
					'The summary: rows read, imported, updated, unchanged, skipped, problems with row and column',
					{ type: 'object' }
				),
				'400',
				'403',
				'413',
				'422'
			)
		})
	},
	'/gazetteer': {
		get: op({
			operationId: 'gazetteerLookup',
			summary:
				'The gazetteer: with `name`, the areas that name can mean at each level (as imports read it); with `pcode` or nothing, the names kept, with their kind and source',
			parameters: [
				q('name', 'A place name in any common spelling, English or Arabic', { type: 'string' }),
				q('pcode', 'Only the names of this area', { type: 'string' })
			],
			responses: answers('200', ok('Matches or names', { type: 'array' }), '400')
		}),
		post: op({
			operationId: 'gazetteerAdd',
			summary: 'Add a variant or former name of an area, with its source (admins)',
			requestBody: bodyOf({
				type: 'object',
				required: ['pcode', 'name', 'source'],
				properties: {
					pcode: { type: 'string' },
					name: { type: 'string', maxLength: 200 },
					kind: { type: 'string', enum: ['variant', 'former'] },
					source: { type: 'string', maxLength: 300 }
				}
			}),
			responses: answers('201', ok('The name added', { type: 'object' }), '400', '403')
		})
	},
	'/exports': {
		get: op({
			operationId: 'exportData',
			summary:
				'What the caller may see, as CSV with an HXL row, GeoJSON, KML or XLSX; streamed and audited',
			parameters: [
				q('dataset', 'What to export (default incidents)', {
					type: 'string',
					enum: ['incidents', 'health-facilities', 'idp-camps', 'checkpoints', 'sites']
				}),
				q('format', 'File format', { type: 'string', enum: EXPORT_FORMATS }),
				...filters,
				q('q', 'Full-text search, as in the list', { type: 'string' }),
				q('status', 'Comma-separated statuses', { type: 'string' }),
				...spatialParams,
				...moreParams
			],
			responses: answers(
				'200',
				ok('The file', { type: 'string', format: 'binary' }, 'application/octet-stream'),
				'400'
			)
		})
	}
};
