/**
 * OpenAPI paths of reports: /reports/sitrep, /reports, /reports/{id} (handlers in
 * src/routes/api/v1/reports, verbs in ./index.ts).
 */
import type { Method, Operation, Schema } from '../api/openapi-types.ts';
import { answers, bodyOf, created, jsonOf, obj, ok, pathId, ref } from '../api/openapi-kit.ts';
import { DOCUMENT_STATUSES } from '../../domain/documents.ts';

export const reportTags = [
	{ name: 'reports', description: 'Sitreps (periodic reports), saved reports and their PDFs' }
];

const tags = ['reports'];
const format: Schema = { type: 'string', enum: ['json', 'pdf'] };
const formatParam = {
	name: 'format',
	in: 'query' as const,
	description:
		'json (default) or pdf: the printed page rendered by headless Chromium with the caller’s credential (503 with one line when Chromium is not installed on the server)',
	schema: format
};
const sitrep: Schema = obj(
	{
		period: obj({ from: { type: 'string' }, to: { type: 'string' }, days: { type: 'integer' } }),
		headline: obj({
			total: { type: 'integer', description: 'Incidents in the period visible to the caller' },
			fatalities: { type: 'integer' },
			serious: { type: 'integer' },
			affecting_ngos: { type: 'integer' },
			previous_total: { type: 'integer' }
		}),
		baseline: { type: 'object' },
		by_type: { type: 'array', items: { type: 'object' } },
		by_area: { type: 'array', items: { type: 'object' } },
		bins: { type: 'array', items: { type: 'object' } },
		level_changes: { type: 'array', items: { type: 'object' } },
		checkpoint_changes: { type: 'array', items: { type: 'object' } },
		notable: { type: 'array', items: { type: 'object' } },
		points: {
			type: 'array',
			description: '[lon, lat, event_type], fuzzed where the caller may not see the exact point',
			items: { type: 'array' }
		}
	},
	['period', 'headline']
);
const reportFields = obj({
	title: { type: 'string', maxLength: 300 },
	period_from: { type: 'string', format: 'date' },
	period_to: { type: 'string', format: 'date' },
	area_pcode: { type: ['string', 'null'] },
	base_id: { type: ['string', 'null'], format: 'uuid' },
	status: { type: 'string', enum: [...DOCUMENT_STATUSES] },
	classification: { type: 'string', maxLength: 100 },
	sections: {
		type: 'array',
		description: 'At most 50 sections; Markdown is sanitised when shown',
		items: obj({ heading: { type: 'string' }, markdown: { type: 'string' } }, [
			'heading',
			'markdown'
		])
	}
});
const report: Schema = {
	type: 'object',
	description:
		'A saved report: the fields above plus id, version, author, versions [{version, saved_at, saved_by}]',
	properties: { id: { type: 'string', format: 'uuid' }, version: { type: 'integer' } }
};
const day = (name: string, description: string) => ({
	name,
	in: 'query' as const,
	required: true,
	description,
	schema: { type: 'string', format: 'date' } as Schema
});
const pdfOk = (description: string, schema: Schema) => ({
	description,
	content: {
		...jsonOf(schema),
		'application/pdf': { schema: { type: 'string', format: 'binary' } }
	}
});

export const reportPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/reports/sitrep': {
		get: {
			operationId: 'sitrep',
			summary:
				'The sitrep of a period for all areas, one area or one base: headline figures, by area and type, baseline, level and checkpoint changes, serious and NGO-affecting incidents',
			tags,
			parameters: [
				day('from', 'First day of the period (inclusive)'),
				day('to', 'Last day of the period (inclusive); not before `from`'),
				ref('parameters', 'area'),
				{
					name: 'base',
					in: 'query',
					description: 'An org site (base): its governorate',
					schema: { type: 'string', format: 'uuid' }
				},
				formatParam
			],
			responses: answers(pdfOk('The sitrep (JSON) or its PDF', sitrep), '400')
		}
	},
	'/reports': {
		get: {
			operationId: 'listReports',
			summary: 'Saved reports the caller may read (viewers: final reports in their scope)',
			tags,
			responses: answers(ok('Reports, latest change first', { type: 'array', items: report }))
		},
		post: {
			operationId: 'createReport',
			summary: 'Save a report (analysts, admins)',
			tags,
			requestBody: bodyOf(reportFields),
			responses: created(ok('The report', report), '400', '403')
		}
	},
	'/reports/{id}': {
		get: {
			operationId: 'getReport',
			summary: 'One saved report; ?format=pdf prints it with its figures computed for the caller',
			tags,
			parameters: [pathId('Report id'), formatParam],
			responses: answers(pdfOk('The report', report), '404')
		},
		patch: {
			operationId: 'updateReport',
			summary:
				'Change a report (merge); the previous content becomes a version. Send `version` to refuse a stale edit (409)',
			tags,
			parameters: [pathId('Report id')],
			requestBody: bodyOf({
				allOf: [reportFields, obj({ version: { type: 'integer' } })]
			}),
			responses: answers(ok('The report', report), '400', '403', '404', '409')
		}
	}
};
