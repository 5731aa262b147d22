import { error } from '@sveltejs/kit';
import { getReport, sitrep } from '$lib/server/reports';
import { sitrepOutlines } from '$lib/server/reports/areas';
import { orgName } from '$lib/server/reports/params';
import { uuid } from '$lib/server/api/params';
import { pageFailure } from '$lib/server/reports/page';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = locals.user!;
	try {
		const r = await getReport(user, uuid('id', params.id));
		if (!r) error(404, 'no such report, or not visible to you');
		const s = await sitrep(user, {
			from: r.period_from,
			to: r.period_to,
			area: r.area_pcode,
			base: r.base_id
		});
		return { r, s, areas: await sitrepOutlines(user, s), org: orgName() };
	} catch (e) {
		pageFailure(e);
	}
};
