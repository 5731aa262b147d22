/**
 * PATCH with merge semantics for resources whose SQL function saves the whole record: the
 * stored record supplies every field the request does not send, then the usual schema checks
 * the result. A field the resource does not have is a 400 naming it (not silently dropped).
 */
import { FilterError } from '../../domain/filters.ts';

export function mergePatch(
	fields: readonly string[],
	current: object,
	body: Record<string, unknown>
): Record<string, unknown> {
	for (const k of Object.keys(body))
		if (!fields.includes(k)) throw new FilterError(k, 'is not a field that can be changed');
	const out: Record<string, unknown> = {};
	for (const k of fields)
		if (k in body) out[k] = body[k];
		else if ((current as Record<string, unknown>)[k] !== undefined)
			out[k] = (current as Record<string, unknown>)[k];
	return out;
}
