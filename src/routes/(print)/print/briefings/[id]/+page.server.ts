import { uuid } from '$lib/server/api/params';
import { briefingPage } from '$lib/server/briefings/page';
import { pageFailure } from '$lib/server/reports/page';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	try {
		return await briefingPage(locals.user!, uuid('id', params.id), url, locals.locale);
	} catch (e) {
		pageFailure(e);
	}
};
