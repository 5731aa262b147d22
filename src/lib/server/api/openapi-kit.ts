/**
 * The small vocabulary each domain's openapi.ts writes its paths with: references to the shared
 * components (parameters, responses, schemas of api/openapi.ts), content types and the usual
 * answers. No imports from the domains, so there is no loop.
 */
import type { Parameter, Ref, Response, Schema } from './openapi-types.ts';

export const ref = (kind: 'parameters' | 'responses' | 'schemas', name: string): Ref => ({
	$ref: `#/components/${kind}/${name}`
});
export const jsonOf = (schema: Schema | Ref) => ({ 'application/json': { schema } });
export const geoOf = (schema: Schema | Ref) => ({ 'application/geo+json': { schema } });

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
	ref('parameters', 'area')
];
export const pathId = (description: string): Parameter => ({
	name: 'id',
	in: 'path',
	required: true,
	description,
	schema: { type: 'string', format: 'uuid' }
});
