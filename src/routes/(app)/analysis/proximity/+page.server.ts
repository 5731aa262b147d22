import { proximityPage } from '$lib/server/analysis/pages';
import { pageUser } from '$lib/server/analysis/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) =>
	proximityPage(pageUser(locals, url), url.searchParams);
