/** Pages' answer to a failed report call: a bad parameter is a 400 page with its message. */
import { error, isHttpError, isRedirect } from '@sveltejs/kit';
import { FilterError } from '../../domain/filters.ts';
import { uuid } from '../api/params.ts';
import { isDbError } from '../api/respond.ts';
import type { CallerUser } from '../db/types.ts';
import { sitrepOutlines } from './areas.ts';
import { getReport, sitrep } from './index.ts';
import { orgName } from './params.ts';

export function pageFailure(e: unknown): never {
	if (isRedirect(e) || isHttpError(e)) throw e;
	if (e instanceof FilterError) error(400, e.message);
	if (isDbError(e) && e.httpStatus < 500) error(e.httpStatus, e.message);
	throw e;
}

/**
 * A saved report with its sitrep computed for the reader (under their RLS), the outlines of its
 * areas and the organisation's name: what the report page and its print page show. A 404 page
 * when the caller may not read it.
 */
export async function reportWithSitrep(user: CallerUser, id: string) {
	try {
		const r = await getReport(user, uuid('id', id));
		if (!r) error(404, 'no such report, or not visible to you');
		const s = await sitrep(user, {
			from: r.period_from,
			to: r.period_to,
			area: r.area_pcode,
			base: r.base_id
		});
		return { r, s, outlines: await sitrepOutlines(user, s), org: orgName() };
	} catch (e) {
		pageFailure(e);
	}
}
