/**
 * The small vocabulary each domain's openapi.ts writes its paths with: references to the shared
 * components (parameters and responses of api/openapi.ts, schemas of
 * api/openapi-schemas.ts), content types and the usual
 * answers. No imports from the domains, so there is no loop.
 */
import type { Operation, Parameter, Ref, Response, Schema } from './openapi-types.ts';

export const ref = (kind: 'parameters' | 'responses' | 'schemas', name: string): Ref => ({
	$ref: `#/components/${kind}/${name}`
});
export const jsonOf = (schema: Schema | Ref) => ({ 'application/json': { schema } });
export const geoOf = (schema: Schema | Ref) => ({ 'application/geo+json': { schema } });

/** A GeoJSON FeatureCollection whose features have this id, geometry and properties; `extra`
 * adds top-level members (paging totals) between `type` and `features`. */
export function featureCollection(
	feature: { id: Schema; geometry: Schema | Ref; properties: Schema | Ref },
	extra: { required?: string[]; properties?: Record<string, Schema> } = {}
): Schema {
	return {
		type: 'object',
		required: ['type', 'features', ...(extra.required ?? [])],
		properties: {
			type: { const: 'FeatureCollection' },
			...extra.properties,
			features: {
				type: 'array',
				items: { type: 'object', properties: { type: { const: 'Feature' }, ...feature } }
			}
		}
	};
}

export type Extra = '400' | '403' | '404' | '409';

/** The answers every authenticated operation can give: its own success, 401, and the extras. */
export function answers(ok: Response, ...extra: Extra[]): Record<string, Response | Ref> {
	return answersWith('200', ok, extra);
}

export function created(ok: Response, ...extra: Extra[]): Record<string, Response | Ref> {
	return answersWith('201', ok, extra);
}

function answersWith(
	status: '200' | '201',
	ok: Response,
	extra: Extra[]
): Record<string, Response | Ref> {
	const r: Record<string, Response | Ref> = {
		[status]: ok,
		'401': ref('responses', 'Unauthorized')
	};
	const names = {
		'400': 'BadRequest',
		'403': 'Forbidden',
		'404': 'NotFound',
		'409': 'Conflict'
	} as const;
	for (const code of extra) r[code] = ref('responses', names[code]);
	return r;
}

export const levelParam: Parameter = {
	name: 'level',
	in: 'query',
	description: '1 governorate, 2 district, 3 sub-district',
	schema: { type: 'integer', enum: [1, 2, 3] }
};

export const filterParams = [
	ref('parameters', 'from'),
	ref('parameters', 'to'),
	ref('parameters', 'type'),
	ref('parameters', 'areas')
];
export const pathId = (description: string): Parameter => ({
	name: 'id',
	in: 'path',
	required: true,
	description,
	schema: { type: 'string', format: 'uuid' }
});

/** A query parameter; the schema defaults to a plain string. */
export const query = (
	name: string,
	description: string,
	schema: Parameter['schema'] = { type: 'string' }
): Parameter => ({ name, in: 'query', description, schema });

/** A query parameter that takes several values, repeated or comma-separated. */
export const listParam = (
	name: string,
	values: readonly string[],
	description: string
): Parameter => ({
	name,
	in: 'query',
	description: `${description} Repeat or separate with commas.`,
	style: 'form',
	explode: true,
	schema: { type: 'array', items: { type: 'string', enum: values } }
});

/** The limit/offset pair of the paged lists. */
export const pageParams = [
	query('limit', 'Page size.', { type: 'integer', minimum: 1 }),
	query('offset', 'Rows to skip.', { type: 'integer', minimum: 0 })
];

/** A required JSON body with this schema. */
export const bodyOf = (schema: Schema | Ref) => ({ required: true, content: jsonOf(schema) });

/** A required multipart body: a `file` (the upload), then any other form fields. */
export const fileBody = (fields: Record<string, Schema> = {}) => ({
	required: true,
	content: {
		'multipart/form-data': {
			schema: obj({ file: { type: 'string', format: 'binary' }, ...fields }, ['file'])
		}
	}
});

/** An object schema: its properties, and which of them are required. */
export const obj = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
	type: 'object',
	required,
	properties
});

/** A required JSON body whose fields the description lists (the handlers validate them). */
export const jsonBody = (description: string) => ({
	required: true,
	content: jsonOf({ type: 'object', description })
});

/** A JSON answer described in words rather than by a named schema. */
export const objectAnswer = (description: string): Response => ({
	description,
	content: jsonOf({ type: 'object' })
});
export const arrayAnswer = (description: string): Response => ({
	description,
	content: jsonOf({ type: 'array' })
});

/** An operation: its id, summary and tags first, then what else it needs. */
export const op = (
	operationId: string,
	summary: string,
	tags: string[],
	rest: Partial<Operation>
): Operation => ({ operationId, summary, tags, responses: {}, ...rest }) as Operation;

/** A JSON answer with its schema. */
export const ok = (description: string, schema: Schema | Ref): Response => ({
	description,
	content: jsonOf(schema)
});
