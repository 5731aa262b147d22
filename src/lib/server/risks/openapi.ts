/** OpenAPI paths of the risk register: /risks, /risks/{id}, /risks/{id}/accept, /risks/suggest. */
import type { Method, Operation, Schema } from '../api/openapi-types.ts';
import { answers, bodyOf, created, jsonOf, ok, pathId } from '../api/openapi-kit.ts';
import { RISK_SCOPES, THREAT_CATEGORIES } from '../../domain/risks.ts';

export const riskTags = [
	{
		name: 'risks',
		description: 'The risk register: 5 × 5 matrix, suggested likelihood, acceptance'
	}
];
const tags = ['risks'];
const scale: Schema = { type: 'integer', minimum: 1, maximum: 5 };
const riskFields: Schema = {
	type: 'object',
	required: ['title', 'scope', 'threat_category', 'likelihood', 'impact'],
	properties: {
		title: { type: 'string' },
		scope: { type: 'string', enum: [...RISK_SCOPES] },
		base_id: { type: ['string', 'null'], format: 'uuid' },
		area_pcode: { type: ['string', 'null'] },
		programme: { type: ['string', 'null'] },
		threat_category: { type: 'string', enum: [...THREAT_CATEGORIES] },
		vulnerability: { type: 'string' },
		likelihood: scale,
		impact: scale,
		likelihood_reason: {
			type: ['string', 'null'],
			description: 'Required when the likelihood differs from the suggested one'
		},
		residual_likelihood: scale,
		residual_impact: scale,
		review_date: { type: ['string', 'null'], format: 'date' },
		mitigations: { type: 'array', items: { type: 'object' } },
		as_of: { type: 'string', format: 'date', description: 'Date of the suggestion (default today)' }
	}
};
const risk: Schema = {
	type: 'object',
	description:
		'A risk: the fields above plus id, score (L × I), residual_score, likelihood_suggested, suggestion, accepted_by/at, version, mitigations, history',
	properties: { id: { type: 'string', format: 'uuid' }, score: { type: 'integer' } }
};

export const riskPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/risks': {
		get: {
			operationId: 'listRisks',
			summary: 'The register, highest risk first; ?format=pdf prints it',
			tags,
			parameters: [
				{ name: 'scope', in: 'query', schema: { type: 'string', enum: [...RISK_SCOPES] } },
				{
					name: 'key',
					in: 'query',
					description: 'Base id, P-code or programme name',
					schema: { type: 'string' }
				},
				{
					name: 'format',
					in: 'query',
					description:
						'json (default) or pdf: the register printed (matrix and table, classification marking) by headless Chromium with the caller’s credential; 503 in one line without Chromium',
					schema: { type: 'string', enum: ['json', 'pdf'] }
				}
			],
			responses: answers(
				{
					description: 'Risks (JSON) or the register as a PDF',
					content: {
						...jsonOf({ type: 'array', items: risk }),
						'application/pdf': { schema: { type: 'string', format: 'binary' } }
					}
				},
				'400'
			)
		},
		post: {
			operationId: 'createRisk',
			summary: 'A new risk (analysts, admins); likelihood or impact outside 1–5 is a 400',
			tags,
			requestBody: bodyOf(riskFields),
			responses: created(ok('The risk', risk), '400', '403')
		}
	},
	'/risks/{id}': {
		get: {
			operationId: 'getRisk',
			summary: 'One risk',
			tags,
			parameters: [pathId('Risk id')],
			responses: answers(ok('The risk', risk), '404')
		},
		patch: {
			operationId: 'updateRisk',
			summary: 'Change a risk (merge); the previous state goes to its history',
			tags,
			parameters: [pathId('Risk id')],
			requestBody: bodyOf(riskFields),
			responses: answers(ok('The risk', risk), '400', '403', '404', '409')
		}
	},
	'/risks/{id}/accept': {
		post: {
			operationId: 'acceptRisk',
			summary: 'Accept the risk as it stands (who and when)',
			tags,
			parameters: [pathId('Risk id')],
			responses: answers(ok('The risk', risk), '403', '404')
		}
	},
	'/risks/suggest': {
		get: {
			operationId: 'suggestLikelihood',
			summary:
				'Likelihood suggested from incidents: 52-week rate, P(≥1 in 30 days) = 1 − exp(−n·30/364), trend, counts',
			tags,
			parameters: [
				{ name: 'area', in: 'query', required: true, schema: { type: 'string' } },
				{
					name: 'category',
					in: 'query',
					required: true,
					schema: { type: 'string', enum: [...THREAT_CATEGORIES] }
				},
				{ name: 'as_of', in: 'query', schema: { type: 'string', format: 'date' } }
			],
			responses: answers(ok('The suggestion', { type: 'object' }), '400')
		}
	}
};
