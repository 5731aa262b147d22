import { sitrep } from '$lib/server/reports';
import { sitrepOutlines } from '$lib/server/reports/areas';
import { orgName, sitrepQuery } from '$lib/server/reports/params';
import { pageFailure } from '$lib/server/reports/page';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = locals.user!;
	try {
		const s = await sitrep(user, sitrepQuery(url.searchParams));
		return { s, areas: await sitrepOutlines(user, s), org: orgName() };
	} catch (e) {
		pageFailure(e);
	}
};
