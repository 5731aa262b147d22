import { reportWithSitrep } from '$lib/server/reports/page';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) =>
	reportWithSitrep(locals.user!, params.id);
