/**
 * The OpenAPI path of the batched report (POST /incidents/report/batch, incidents/batch.ts), for
 * src/lib/server/api/openapi.ts to spread into its `paths`.
 */
import type { Operation } from '../api/openapi-types.ts';
import { answers, bodyOf, jsonOf } from '../api/openapi-kit.ts';
import { BATCH_MAX } from './batch.ts';

const itemResult = {
	type: 'object',
	required: ['id', 'status'],
	properties: {
		id: { type: 'string', description: 'The item id sent' },
		status: {
			type: 'integer',
			description:
				'201 stored (or stored before under this id: the first answer again); 400 refused, with `errors` per field; 403/422 refused; 503 not stored (a server fault stopped the batch here): send again'
		},
		incident: { type: 'object', description: 'With 201: the stored incident' },
		duplicates: { type: 'array', items: { type: 'object' } },
		message: { type: 'string' },
		errors: { type: 'object', additionalProperties: { type: 'string' } }
	}
} as const;

export const incidentBatchPaths: Record<string, { post: Operation }> = {
	'/incidents/report/batch': {
		post: {
			tags: ['incident reporting'],
			operationId: 'reportIncidentsBatch',
			summary: `Report up to ${BATCH_MAX} incidents in one request (the offline outbox): each item's id is its idempotency key, and each item is answered on its own, in order`,
			parameters: [
				{
					name: 'km',
					in: 'query',
					description: 'Duplicate search radius in km (default 5)',
					schema: { type: 'number' }
				},
				{
					name: 'days',
					in: 'query',
					description: 'Duplicate time window in days (default 1)',
					schema: { type: 'integer' }
				}
			],
			requestBody: bodyOf({
				type: 'object',
				required: ['items'],
				properties: {
					items: {
						type: 'array',
						minItems: 1,
						maxItems: BATCH_MAX,
						items: {
							type: 'object',
							required: ['id', 'body'],
							properties: {
								id: {
									type: 'string',
									description:
										'A client-made id (e.g. a UUID), used as the Idempotency-Key of this item: sending it again creates nothing'
								},
								body: {
									type: 'object',
									description: 'The same fields as POST /incidents/report'
								}
							}
						}
					}
				}
			}),
			responses: answers(
				{
					description: 'One answer per item, in the order sent',
					content: jsonOf({
						type: 'object',
						properties: { results: { type: 'array', items: itemResult } }
					})
				},
				'400',
				'403'
			)
		}
	}
};
