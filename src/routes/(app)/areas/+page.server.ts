import { currentLevels } from '$lib/server/analysis';
import { areaOptions } from '$lib/server/analysis/pages';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const [areas, levels] = await Promise.all([areaOptions(locals.user!), currentLevels(locals.user!, { level: undefined })]);
	return { areas: areas.filter((a) => a.level <= 2), levels: levels.filter((l) => l.area_level <= 2) };
};
