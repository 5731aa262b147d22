/**
 * The OpenAPI paths of the audit log (admins only), for src/lib/server/api/openapi.ts to spread
 * into its `paths` (and `auditTags` into its tags).
 */
import type { Operation, Parameter, Response } from '../api/openapi-types.ts';

type Ref = { $ref: string };
const ref = (name: string): Ref => ({ $ref: `#/components/responses/${name}` });
const q = (name: string, description: string, type = 'string'): Parameter => ({
	name,
	in: 'query',
	description,
	schema: { type }
});
const ok = (description: string): Response => ({
	description,
	content: { 'application/json': { schema: { type: 'object' } } }
});
const responses = (description: string) => ({
	'200': ok(description),
	'401': ref('Unauthorized'),
	'403': ref('Forbidden')
});

export const auditTags = [
	{
		name: 'audit',
		description:
			'The hash-chained audit log (admins only); reading rows about contacts is itself a logged contact read'
	}
];

export const auditPaths: Record<string, { get: Operation }> = {
	'/audit': {
		get: {
			operationId: 'searchAuditLog',
			summary: 'Audit entries, newest first, filtered like the admin audit page',
			tags: ['audit'],
			parameters: [
				q('action', 'Action, e.g. read, refused, update'),
				q('table', 'Table name, e.g. contacts'),
				q('row', 'Row id (also matches detail.id and detail.ids)'),
				q('user', 'Actor user id (UUID)'),
				q('q', 'Text anywhere in the entry'),
				q('limit', 'At most 1000 (default 100)', 'integer'),
				q('offset', 'Rows to skip', 'integer')
			],
			responses: responses('{total, rows, facets}')
		}
	},
	'/audit/verify': {
		get: {
			operationId: 'verifyAuditLog',
			summary: 'Check the whole hash chain; names the first changed, missing or reordered entry',
			tags: ['audit'],
			responses: responses('{ok, checked, last_seq, last_hash, problem}')
		}
	}
};
