import { currentLevels } from '$lib/server/analysis';
import { areaOptions } from '$lib/server/analysis/lenient';
import { pageUser } from '$lib/server/analysis/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = pageUser(locals, url);
	const [areas, levels] = await Promise.all([
		areaOptions(user),
		currentLevels(user, { level: undefined })
	]);
	return {
		areas: areas.filter((a) => a.level <= 2),
		levels: levels.filter((l) => l.area_level <= 2)
	};
};
