/**
 * Form actions' shared answers: a refusal the user can fix, and the delete of a listed record.
 */
import { fail } from '@sveltejs/kit';
import { FilterError } from '../../domain/filters.ts';
import type { CallerUser } from '../db/types.ts';
import { isDbError } from './respond.ts';

/**
 * The database's or a field's message (a FilterError names its field), with what was typed so
 * the form keeps it: 400, or for a database refusal its own status unless `dbStatus` says
 * otherwise. Anything else (a 5xx, a bug) is rethrown.
 */
export function refusal(e: unknown, values?: Record<string, unknown>, dbStatus?: number) {
	if (isDbError(e) && e.httpStatus < 500)
		return fail(dbStatus ?? e.httpStatus, { error: e.message, values });
	if (e instanceof FilterError) return fail(400, { error: e.message, values });
	throw e;
}

/** A form action deleting the record the form names by `id`; the caller's RLS decides. */
export const deleteAction =
	(remove: (user: CallerUser, id: string) => Promise<unknown>, dbStatus?: number) =>
	async ({ locals, request }: { locals: App.Locals; request: Request }) => {
		if (!locals.user) return fail(401, { error: 'sign in' });
		const fd = await request.formData();
		try {
			await remove(locals.user, String(fd.get('id') ?? ''));
		} catch (e) {
			return refusal(e, undefined, dbStatus);
		}
		return { deleted: true };
	};
