import { baselinePage } from '$lib/server/analysis/pages';
import { pageUser } from '$lib/server/analysis/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) =>
	baselinePage(pageUser(locals, url), url.searchParams);
