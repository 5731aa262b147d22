import { proximityPage } from '$lib/server/analysis/pages';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => proximityPage(locals.user!, url.searchParams);
