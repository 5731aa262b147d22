/** Pages' answer to a failed report call: a bad parameter is a 400 page with its message. */
import { error, isHttpError, isRedirect } from '@sveltejs/kit';
import { FilterError } from '../../domain/filters.ts';
import { isDbError } from '../api/respond.ts';

export function pageFailure(e: unknown): never {
	if (isRedirect(e) || isHttpError(e)) throw e;
	if (e instanceof FilterError) error(400, e.message);
	if (isDbError(e) && e.httpStatus < 500) error(e.httpStatus, e.message);
	throw e;
}
