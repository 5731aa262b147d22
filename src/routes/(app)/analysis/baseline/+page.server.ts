import { baselinePage } from '$lib/server/analysis/pages';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => baselinePage(locals.user!, url.searchParams);
