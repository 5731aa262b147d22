/**
 * A JSON body checked against a zod schema: the first problem becomes a FilterError naming its
 * field by path (e.g. `route.coordinates.3`), which apiRoute answers as 400 {message, parameter}.
 */
import type { z } from 'zod';
import { FilterError } from '../../domain/filters.ts';

export function parseWith<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
	const r = schema.safeParse(body);
	if (r.success) return r.data;
	const issue = r.error.issues[0];
	const path = issue.path.map(String).join('.') || 'body';
	throw new FilterError(path, issue.message);
}
