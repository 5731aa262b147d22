import { areaOptions } from '$lib/server/analysis/lenient';
import { pageUser } from '$lib/server/analysis/guard';
import { list } from '$lib/server/assessments';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = pageUser(locals, url);
	const [areas, saved] = await Promise.all([areaOptions(user), list(user, null)]);
	return {
		areas: areas.filter((a) => a.level >= 1 && a.level <= 3),
		saved,
		canSave: user.role !== 'viewer'
	};
};
