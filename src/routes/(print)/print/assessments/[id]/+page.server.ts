import { error } from '@sveltejs/kit';
import { get } from '$lib/server/assessments';
import { orgName } from '$lib/server/reports/params';
import { pageFailure } from '$lib/server/reports/page';
import { uuid } from '$lib/server/api/params';
import type { PageServerLoad } from './$types';

/**
 * A saved assessment to print, as the caller may read it: the SQL (assessment_json) leaves out
 * contact names and incident lists for readers who are neither its author nor an analyst, so the
 * PDF holds no more than the page does.
 */
export const load: PageServerLoad = async ({ locals, params }) => {
	try {
		const a = await get(locals.user!, uuid('id', params.id));
		if (!a) error(404, 'no such assessment, or not visible to you');
		return { a, org: orgName() };
	} catch (e) {
		pageFailure(e);
	}
};
