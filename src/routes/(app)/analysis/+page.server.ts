import { trendsPage } from '$lib/server/analysis/pages';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => trendsPage(locals.user!, url.searchParams);
