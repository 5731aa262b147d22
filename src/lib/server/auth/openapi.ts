/**
 * OpenAPI paths of accounts: /me, /tokens, /tokens/{id}, /users and /users/{id}/disable
 * (handlers in src/routes/api/v1, verbs in ./index.ts).
 */
import type { Method, Operation } from '../api/openapi-types.ts';
import { APP_ROLES } from '../db/types.ts';
import { TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS } from './config.ts';
import { answers, bodyOf, created, jsonOf, pathId, ref } from '../api/openapi-kit.ts';

const accountPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/me': {
		get: {
			operationId: 'me',
			summary: 'The caller’s profile',
			tags: ['account'],
			responses: answers({ description: 'The caller', content: jsonOf(ref('schemas', 'User')) })
		}
	},
	'/tokens': {
		get: {
			operationId: 'listTokens',
			summary: 'The caller’s API tokens (never the secrets)',
			tags: ['account'],
			responses: answers({
				description: 'Tokens, newest first',
				content: jsonOf({ type: 'array', items: ref('schemas', 'Token') })
			})
		},
		post: {
			operationId: 'createToken',
			summary: 'Create an API token for the caller; the secret is returned once',
			tags: ['account'],
			requestBody: bodyOf({
				type: 'object',
				required: ['name'],
				properties: { name: { type: 'string', minLength: 1, maxLength: 100 } }
			}),
			responses: created(
				{
					description: 'The new token, with its secret',
					content: jsonOf(ref('schemas', 'NewToken'))
				},
				'400',
				'403'
			)
		}
	},
	'/tokens/{id}': {
		delete: {
			operationId: 'revokeToken',
			summary: 'Revoke one of the caller’s tokens (admins: anyone’s)',
			tags: ['account'],
			parameters: [pathId('Token id')],
			responses: answers(
				{
					description: 'Revoked',
					content: jsonOf({
						type: 'object',
						properties: { id: { type: 'string', format: 'uuid' }, revoked: { const: true } }
					})
				},
				'400',
				'404'
			)
		}
	},
	'/users': {
		get: {
			operationId: 'listUsers',
			summary: 'Every user (admins only)',
			tags: ['admin'],
			responses: answers(
				{
					description: 'Users by email',
					content: jsonOf({ type: 'array', items: ref('schemas', 'User') })
				},
				'403'
			)
		},
		post: {
			operationId: 'addUser',
			summary: 'Add a local account (admins only)',
			tags: ['admin'],
			requestBody: bodyOf(ref('schemas', 'NewUser')),
			responses: created(
				{ description: 'The new user', content: jsonOf(ref('schemas', 'User')) },
				'400',
				'403',
				'409'
			)
		}
	},
	'/users/{id}/disable': {
		post: {
			operationId: 'disableUser',
			summary: 'Disable a user and revoke their sessions and tokens (admins only; not yourself)',
			tags: ['admin'],
			parameters: [pathId('User id')],
			responses: answers(
				{ description: 'The disabled user', content: jsonOf(ref('schemas', 'User')) },
				'400',
				'403',
				'404'
			)
		}
	}
};

const errors = {
	'400': ref('responses', 'BadRequest'),
	'403': ref('responses', 'Forbidden'),
	'404': ref('responses', 'NotFound')
};
const revoked = {
	description: 'How many live tokens were revoked',
	content: jsonOf({
		type: 'object',
		properties: {
			user_id: { type: 'string', format: 'uuid' },
			revoked: { type: 'integer', minimum: 0 }
		}
	})
};

/** Tokens with expiry and bulk revocation, and an admin's changes to a user (issue 10). */
const hardenedPaths: Record<string, Partial<Record<Method, Operation>>> = {
	'/tokens': {
		get: {
			operationId: 'listTokens',
			summary: 'The caller’s API tokens (never the secrets), with their expiry',
			tags: ['account'],
			responses: {
				'200': {
					description: 'Tokens, newest first',
					content: jsonOf({ type: 'array', items: ref('schemas', 'Token') })
				},
				'401': ref('responses', 'Unauthorized')
			}
		},
		post: {
			operationId: 'createToken',
			summary: 'Create an API token for the caller; the secret is returned once',
			description: `The token stops working after \`expires_in_days\` (default ${TOKEN_DEFAULT_DAYS}, at most ${TOKEN_MAX_DAYS}); the answer says when (\`expires_at\`).`,
			tags: ['account'],
			requestBody: bodyOf({
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
			}),
			responses: {
				'201': {
					description: 'The new token, with its secret',
					content: jsonOf(ref('schemas', 'NewToken'))
				},
				'401': ref('responses', 'Unauthorized'),
				'400': errors['400'],
				'403': errors['403']
			}
		},
		delete: {
			operationId: 'revokeAllTokens',
			summary: 'Revoke every live API token of the caller',
			tags: ['account'],
			responses: { '200': revoked, '401': ref('responses', 'Unauthorized') }
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
			requestBody: bodyOf({
				type: 'object',
				properties: {
					role: { type: 'string', enum: [...APP_ROLES] },
					disabled: { type: 'boolean' }
				}
			}),
			responses: {
				'200': { description: 'The user', content: jsonOf(ref('schemas', 'User')) },
				'401': ref('responses', 'Unauthorized'),
				...errors
			}
		}
	},
	// The CLI's channel to the server that holds an embedded data directory (src/cli/remote.ts).
	'/admin/cli': {
		post: {
			operationId: 'localAdminCli',
			summary:
				'Run a `terrain` command in this server (the CLI beside it; loopback and the local admin token of terrain.lock only, otherwise 404)',
			tags: ['admin'],
			security: [],
			requestBody: bodyOf({
				type: 'object',
				required: ['argv'],
				properties: { argv: { type: 'array', items: { type: 'string' }, maxItems: 50 } }
			}),
			responses: {
				'200': {
					description: 'The lines the command printed',
					content: jsonOf({
						type: 'object',
						properties: { lines: { type: 'array', items: { type: 'string' } } }
					})
				},
				'401': ref('responses', 'Unauthorized'),
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
			responses: { '200': revoked, '401': ref('responses', 'Unauthorized'), ...errors }
		}
	}
};

// The '/tokens' above replaces the plain one of accountPaths.
export const authPaths = { ...accountPaths, ...hardenedPaths };
