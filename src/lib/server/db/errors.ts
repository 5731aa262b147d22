/**
 * The SQL functions' refusals as the errors the HTTP layer answers: "field: message" becomes a
 * FilterError (400 naming the field), a probable duplicate a DuplicateActorError carrying the
 * matches (409). Used by every domain whose writes validate in SQL.
 */
import { DbError } from './types.ts';
import { FilterError } from '../../domain/filters.ts';
import { splitFieldMessage } from '../../domain/actors.ts';

export class DuplicateActorError extends Error {
	constructor(
		message: string,
		readonly duplicates: { id: string; name: string; matched: string[] }[]
	) {
		super(message);
	}
}

/**
 * Runs a write and turns the SQL function's "field: message" errors into FilterErrors (400 naming
 * the field) and a probable duplicate into a DuplicateActorError carrying the matches.
 */
export async function withFieldErrors<T>(p: Promise<T>): Promise<T> {
	try {
		return await p;
	} catch (e) {
		if (e instanceof DbError) {
			if (e.code === '23505' && e.detail?.startsWith('[')) {
				throw new DuplicateActorError(e.message, JSON.parse(e.detail));
			}
			const f = splitFieldMessage(e.message);
			if (f && (e.code === '22023' || e.code === '23505' || e.code === '23503')) {
				throw new FilterError(f.field, f.message);
			}
		}
		throw e;
	}
}
