/**
 * The OpenAPI paths of API tokens (with expiry and bulk revocation) and of an admin's changes to
 * a user, spread into the document of $lib/server/api/openapi.ts. Responses reference its shared
 * components (Unauthorized, BadRequest, Forbidden, NotFound) and schemas (Token, NewToken, User).
 */
import type { Method, Operation, Parameter } from '../api/openapi.ts';
import { APP_ROLES } from '../db/types.ts';
import { TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS } from './config.ts';

type Ref = { $ref: string };
const r = (name: string): Ref => ({ $ref: `#/components/responses/${name}` });
const schema = (name: string): Ref => ({ $ref: `#/components/schemas/${name}` });
const json = (s: unknown) => ({ 'application/json': { schema: s as Ref } });
const errors = { '400': r('BadRequest'), '403': r('Forbidden'), '404': r('NotFound') };
const pathId = (description: string): Parameter => ({
	name: 'id',
	in: 'path',
	required: true,
	description,
	schema: { type: 'string', format: 'uuid' }
});
const revoked = {
	description: 'How many live tokens were revoked',
	content: json({
		type: 'object',
		properties: {
			user_id: { type: 'string', format: 'uuid' },
			revoked: { type: 'integer', minimum: 0 }
		}
	})
};

export const authPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/tokens': {
		get: {
			operationId: 'listTokens',
			summary: 'The caller’s API tokens (never the secrets), with their expiry',
			tags: ['account'],
			responses: {
				'200': {
					description: 'Tokens, newest first',
					content: json({ type: 'array', items: schema('Token') })
				},
				'401': r('Unauthorized')
			}
		},
		post: {
			operationId: 'createToken',
			summary: 'Create an API token for the caller; the secret is returned once',
			description: `The token stops working after \`expires_in_days\` (default ${TOKEN_DEFAULT_DAYS}, at most ${TOKEN_MAX_DAYS}); the answer says when (\`expires_at\`).`,
			tags: ['account'],
			requestBody: {
				required: true,
				content: json({
					type: 'object',
					required: ['name'],
					properties: {
						name: { type: 'string', minLength: 1, maxLength: 100 },
						expires_in_days: {
							type: 'integer',
							minimum: 1,
							maximum: TOKEN_MAX_DAYS,
							default: TOKEN_DEFAULT_DAYS
						}
					}
				})
			},
			responses: {
				'201': { description: 'The new token, with its secret', content: json(schema('NewToken')) },
				'401': r('Unauthorized'),
				'400': errors['400'],
				'403': errors['403']
			}
		},
		delete: {
			operationId: 'revokeAllTokens',
			summary: 'Revoke every live API token of the caller',
			tags: ['account'],
			responses: { '200': revoked, '401': r('Unauthorized') }
		}
	},
	'/users/{id}': {
		patch: {
			operationId: 'updateUser',
			summary: 'Change a user’s role, or enable/disable them (admins only; not yourself)',
			description:
				'Merge semantics: fields not sent stay as they are. Disabling ends the user’s sessions and tokens; enabling does not bring tokens back. Each change is in the audit log with the admin as actor.',
			tags: ['admin'],
			parameters: [pathId('User id')],
			requestBody: {
				required: true,
				content: json({
					type: 'object',
					properties: {
						role: { type: 'string', enum: [...APP_ROLES] },
						disabled: { type: 'boolean' }
					}
				})
			},
			responses: {
				'200': { description: 'The user', content: json(schema('User')) },
				'401': r('Unauthorized'),
				...errors
			}
		}
	},
	'/users/{id}/tokens': {
		delete: {
			operationId: 'revokeUserTokens',
			summary: 'Revoke every live API token of a user (admins only)',
			tags: ['admin'],
			parameters: [pathId('User id')],
			responses: { '200': revoked, '401': r('Unauthorized'), ...errors }
		}
	}
};
