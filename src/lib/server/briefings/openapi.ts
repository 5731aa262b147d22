/**
 * OpenAPI paths of briefing packs: /briefings, /briefings/{id}, /briefings/{id}/acknowledgements
 * (handlers in src/routes/api/v1/briefings, verbs in ./index.ts).
 */
import type { Method, Operation, Schema } from '../api/openapi-types.ts';
import { answers, bodyOf, created, jsonOf, obj, ok, pathId } from '../api/openapi-kit.ts';
import { BRIEFING_LANGS } from '../../domain/briefings.ts';
import { DOCUMENT_STATUSES } from '../../domain/documents.ts';

export const briefingTags = [
	{
		name: 'briefings',
		description:
			'Briefing packs for incoming staff, per base, compiled for each reader (need-to-know applies), with "read and understood" acknowledgements'
	}
];

const tags = ['briefings'];
const texts: Schema = {
	type: 'object',
	description: 'Markdown by language (en, ar, ku, fr); a change merges per language',
	properties: Object.fromEntries(BRIEFING_LANGS.map((l) => [l, { type: 'string' }]))
};
const fields = obj({
	base_id: { type: 'string', format: 'uuid', description: 'The base (an org site) briefed for' },
	title: { type: 'string', maxLength: 300 },
	status: { type: 'string', enum: [...DOCUMENT_STATUSES] },
	classification: { type: 'string', maxLength: 100 },
	narrative: texts,
	customs: texts
});
const pack: Schema = {
	type: 'object',
	description:
		'A pack: the fields above plus id, version, author, my_acknowledgement, versions [{version, saved_at, saved_by}]',
	properties: { id: { type: 'string', format: 'uuid' }, version: { type: 'integer' } }
};
const compiled: Schema = obj(
	{
		pack,
		base: { type: 'object' },
		levels: {
			type: 'array',
			description: 'The level in force for each area of the base, with its movement rule',
			items: { type: 'object' }
		},
		scale: {
			type: 'array',
			description: 'Every level and its movement rule',
			items: { type: 'object' }
		},
		incidents: {
			type: 'object',
			description: 'The 90 days up to the latest incident: total, by_type, notable, points'
		},
		actors: { type: 'array', items: { type: 'object' } },
		contacts: {
			type: ['array', 'null'],
			description:
				'Emergency and key contacts the caller may read (restricted ones for analysts and admins only); null for viewers',
			items: { type: 'object' }
		},
		contacts_hidden: { type: 'boolean' },
		sites: {
			type: 'array',
			description: 'Hibernation sites and assembly points within 100 km',
			items: { type: 'object' }
		},
		checkpoints: { type: 'array', items: { type: 'object' } }
	},
	['pack', 'levels', 'incidents', 'contacts_hidden']
);
const ack: Schema = obj({
	pack_id: { type: 'string', format: 'uuid' },
	version: { type: 'integer' },
	user_id: { type: 'string', format: 'uuid' },
	language: { type: 'string' },
	acknowledged_at: { type: 'string', format: 'date-time' }
});
const langParam = (name: string, description: string) => ({
	name,
	in: 'query' as const,
	description,
	schema: { type: 'string', enum: [...BRIEFING_LANGS] } as Schema
});

export const briefingPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/briefings': {
		get: {
			operationId: 'listBriefings',
			summary:
				'Briefing packs the caller may read (viewers and field staff: final packs in their scope)',
			tags,
			parameters: [
				{
					name: 'base',
					in: 'query',
					description: 'Only the packs of this base',
					schema: { type: 'string', format: 'uuid' }
				}
			],
			responses: answers(ok('Packs, latest change first', { type: 'array', items: pack }))
		},
		post: {
			operationId: 'createBriefing',
			summary: 'Write a briefing pack for a base (analysts, admins)',
			tags,
			requestBody: bodyOf(fields),
			responses: created(ok('The pack', pack), '400', '403')
		}
	},
	'/briefings/{id}': {
		get: {
			operationId: 'getBriefing',
			summary:
				'A pack compiled for the caller: levels and movement rules, recent incidents, actors, contacts under need-to-know, hibernation sites. ?format=pdf prints it',
			tags,
			parameters: [
				pathId('Pack id'),
				{
					name: 'format',
					in: 'query',
					description: 'json (default) or pdf (503 with one line when Chromium is not installed)',
					schema: { type: 'string', enum: ['json', 'pdf'] }
				},
				langParam('lang', 'PDF: the language of the texts (default: the caller’s)'),
				langParam('second', 'PDF: a second language side by side')
			],
			responses: answers(
				{
					description: 'The compiled pack (JSON) or its PDF',
					content: {
						...jsonOf(compiled),
						'application/pdf': { schema: { type: 'string', format: 'binary' } }
					}
				},
				'404'
			)
		},
		patch: {
			operationId: 'updateBriefing',
			summary:
				'Change a pack (merge; texts per language); the previous content becomes a version. Send `version` to refuse a stale edit (409)',
			tags,
			parameters: [pathId('Pack id')],
			requestBody: bodyOf({ allOf: [fields, obj({ version: { type: 'integer' } })] }),
			responses: answers(ok('The pack', pack), '400', '403', '404', '409')
		}
	},
	'/briefings/{id}/acknowledgements': {
		get: {
			operationId: 'briefingAcknowledgements',
			summary:
				'Who acknowledged which version and when (analysts, admins: everyone; others: themselves)',
			tags,
			parameters: [pathId('Pack id')],
			responses: answers(ok('Acknowledgements, latest first', { type: 'array', items: ack }))
		},
		post: {
			operationId: 'acknowledgeBriefing',
			summary:
				'"Read and understood": acknowledge the version read (a final pack’s current version; a stale one is 409)',
			tags,
			parameters: [pathId('Pack id')],
			requestBody: {
				required: false,
				content: jsonOf(
					obj({
						version: { type: 'integer' },
						language: { type: 'string', enum: [...BRIEFING_LANGS] }
					})
				)
			},
			responses: created(ok('The acknowledgement', ack), '400', '404', '409')
		}
	}
};
