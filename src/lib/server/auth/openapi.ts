/**
 * OpenAPI paths of accounts: /me, /tokens, /tokens/{id}, /users and /users/{id}/disable
 * (handlers in src/routes/api/v1, verbs in ./index.ts).
 */
import type { Method, Operation } from '../api/openapi-types.ts';
import { answers, created, jsonOf, pathId, ref } from '../api/openapi-kit.ts';

export const authPaths: Record<string, Partial<Record<Method, Operation>>> = {
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
			requestBody: {
				required: true,
				content: jsonOf({
					type: 'object',
					required: ['name'],
					properties: { name: { type: 'string', minLength: 1, maxLength: 100 } }
				})
			},
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
			requestBody: { required: true, content: jsonOf(ref('schemas', 'NewUser')) },
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
