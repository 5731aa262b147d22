/**
 * The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json: the assembler. Each
 * domain writes its own paths beside its code (<domain>/openapi.ts, with ./openapi-kit.ts); this
 * file holds the info, tags, shared parameters and responses and gathers the paths; the shared
 * schemas are in ./openapi-schemas.ts. The integration tests check that every route folder has
 * its path here, so the two cannot drift apart silently.
 */
import { EVENT_TYPES } from '../../domain/taxonomy.ts';
import type { OpenApiDocument } from './openapi-types.ts';
import { actorPaths, actorTags } from '../actors/openapi.ts';
import { analysisPaths, analysisTags } from '../analysis/openapi.ts';
import { incidentPaths, incidentTags } from '../incidents/openapi.ts';
import { coreIncidentPaths } from '../incidents/openapi-core.ts';
import { incidentBatchPaths } from '../incidents/openapi-batch.ts';
import { mapPaths } from '../map/openapi.ts';
import { authPaths } from '../auth/openapi.ts';
import { auditPaths, auditTags } from '../audit/openapi.ts';
import { sitePaths } from '../sites/openapi.ts';
import { movementPaths, movementTags } from '../movements/openapi.ts';
import { headcountPaths, headcountTags, safetyPaths } from '../movements/openapi-safety.ts';
import { triggerPaths } from '../contingency/openapi.ts';
import { reportPaths, reportTags } from '../reports/openapi.ts';
import { riskPaths, riskTags } from '../risks/openapi.ts';
import { assessmentPaths, assessmentTags } from '../assessments/openapi.ts';
import { alertRulePaths } from '../alerts/openapi.ts';
import { briefingPaths, briefingTags } from '../briefings/openapi.ts';
import { mapExportPaths } from '../map/export-openapi.ts';
import { overlayPaths } from '../overlays/openapi.ts';
import { basemapPaths } from '../basemaps/openapi.ts';
import { jsonOf, ref } from './openapi-kit.ts';
import { sharedSchemas } from './openapi-schemas.ts';

export type * from './openapi-types.ts';

/**
 * The creating POSTs whose Idempotency-Key the database seam honours (db/context.ts,
 * IDEMPOTENT_CREATES): a retry with the same key and body returns the first answer.
 */
const IDEMPOTENT_POSTS = [
	'/incidents/report',
	'/actors',
	'/actors/{id}/presence',
	'/relationships',
	'/contacts',
	'/sites/{kind}',
	'/movements',
	'/movements/{id}/calls',
	'/movements/{id}/transition',
	'/movements/{id}/position',
	'/access-authorisations',
	'/headcounts',
	'/headcounts/{id}/answer',
	'/contingency',
	'/gazetteer',
	'/areas/{pcode}/levels',
	'/alerts/rules',
	'/briefings',
	'/briefings/{id}/acknowledgements',
	'/overlays'
];

function withIdempotencyKey(paths: OpenApiDocument['paths']): OpenApiDocument['paths'] {
	for (const path of IDEMPOTENT_POSTS) {
		const op = paths[path]?.post;
		// Copies: the per-domain path objects are shared by every call of openApiDocument().
		if (op)
			paths[path] = {
				...paths[path],
				post: { ...op, parameters: [...(op.parameters ?? []), ref('parameters', 'IdempotencyKey')] }
			};
	}
	return paths;
}

export function openApiDocument(origin?: string): OpenApiDocument {
	return {
		openapi: '3.1.0',
		info: {
			title: 'Terrain API',
			version: '1.0.0',
			description:
				'Read access to incidents, areas and sites, and account management. Every call runs as the ' +
				'caller: row-level security decides what each role sees (viewers and field staff see only ' +
				'verified, unrestricted incidents; field staff also their own reports). Authenticate with a ' +
				'personal API token (create one under My account) as `Authorization: Bearer <token>`. ' +
				'Errors are JSON `{message, parameter?}`.'
		},
		servers: [{ url: `${origin ?? ''}/api/v1` }],
		security: [{ bearerAuth: [] }, { cookieAuth: [] }],
		tags: [
			{ name: 'incidents', description: 'Security incidents' },
			{ name: 'map', description: 'Compact shapes for the map screen' },
			{ name: 'areas', description: 'Administrative areas (COD-AB P-codes)' },
			{ name: 'sites', description: 'Health facilities, camps, checkpoints, organisation sites' },
			{ name: 'account', description: 'The caller and their API tokens' },
			{ name: 'admin', description: 'User management (admins only)' },
			...actorTags,
			...analysisTags,
			...incidentTags,
			...auditTags,
			...movementTags,
			...headcountTags,
			...reportTags,
			...riskTags,
			...assessmentTags,
			...briefingTags
		],
		paths: withIdempotencyKey({
			...actorPaths,
			...analysisPaths,
			...incidentPaths,
			...incidentBatchPaths,
			...auditPaths,
			...coreIncidentPaths,
			...mapPaths,
			...authPaths,
			...sitePaths,
			...movementPaths,
			...safetyPaths,
			...headcountPaths,
			...triggerPaths,
			...reportPaths,
			...riskPaths,
			...assessmentPaths,
			...alertRulePaths,
			...briefingPaths,
			...mapExportPaths,
			...overlayPaths,
			...basemapPaths
		}),
		components: {
			securitySchemes: {
				bearerAuth: {
					type: 'http',
					scheme: 'bearer',
					description: 'A personal API token (trt_…), from My account.'
				},
				cookieAuth: {
					type: 'apiKey',
					in: 'cookie',
					name: 'terrain_session',
					description: 'The browser session of a signed-in user.'
				}
			},
			parameters: {
				IdempotencyKey: {
					name: 'Idempotency-Key',
					in: 'header',
					description:
						'1–200 printable ASCII characters, unique per request you mean (a UUID). Kept 24 h per user: a retry with the same key and body gets the first answer and creates nothing; the same key with another body is 422.',
					schema: { type: 'string', minLength: 1, maxLength: 200 }
				},
				from: {
					name: 'from',
					in: 'query',
					description: 'First event date (inclusive)',
					schema: { type: 'string', format: 'date' }
				},
				to: {
					name: 'to',
					in: 'query',
					description: 'Last event date (inclusive); not before `from`',
					schema: { type: 'string', format: 'date' }
				},
				type: {
					name: 'type',
					in: 'query',
					description: 'Event types: a comma-separated list, or the parameter repeated',
					style: 'form',
					explode: true,
					schema: { type: 'array', items: { type: 'string', enum: EVENT_TYPES } }
				},
				area: {
					name: 'area',
					in: 'query',
					description: 'P-code of a governorate, district or sub-district (e.g. IQG01, IQD0101)',
					schema: { type: 'string', examples: ['IQG01'] }
				},
				areas: {
					name: 'area',
					in: 'query',
					description:
						'Admin areas: one P-code or several, comma-separated (area=IQG08,IQG15Q08; the parameter repeated works too), governorates, districts and sub-districts mixed, at most 50. An incident is in when it lies in any of them: a parent and its own child count it once. A malformed or unknown P-code gives 400 naming it.',
					style: 'form',
					explode: false,
					schema: {
						type: 'array',
						maxItems: 50,
						items: { type: 'string' },
						examples: [['IQG08', 'IQG15Q08']]
					}
				},
				bboxOptional: {
					name: 'bbox',
					in: 'query',
					description: 'west,south,east,north in degrees (WGS 84)',
					schema: { type: 'string', examples: ['42.4,36.5,44.5,37.4'] }
				},
				bboxRequired: {
					name: 'bbox',
					in: 'query',
					required: true,
					description: 'The viewport: west,south,east,north in degrees (WGS 84)',
					schema: { type: 'string', examples: ['42.4,36.5,44.5,37.4'] }
				}
			},
			responses: {
				BadRequest: {
					description: 'A parameter is missing or wrong; `parameter` names it',
					content: jsonOf(ref('schemas', 'Error'))
				},
				Unauthorized: {
					description: 'No session and no valid API token',
					content: jsonOf(ref('schemas', 'Error'))
				},
				Forbidden: {
					description: 'The caller’s role may not do this',
					content: jsonOf(ref('schemas', 'Error'))
				},
				NotFound: {
					description: 'No such thing, or not visible to the caller',
					content: jsonOf(ref('schemas', 'Error'))
				},
				Conflict: { description: 'It already exists', content: jsonOf(ref('schemas', 'Error')) }
			},
			schemas: sharedSchemas
		}
	};
}
