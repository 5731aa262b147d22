import { redirect } from '@sveltejs/kit';
import * as map from '$lib/server/map';
import { actorNetwork } from '$lib/server/actors';
import type { PageServerLoad } from './$types';

// The whole network once; filters, the date slider and focus run in the browser (no url here,
// so changing them never reloads this).
export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) redirect(303, '/login?next=/network');
	const [network, areas] = await Promise.all([
		actorNetwork(locals.user),
		map.areaList(locals.user)
	]);
	return {
		network,
		areas: areas.filter((a) => a.level <= 2),
		canEdit: locals.user.role === 'admin' || locals.user.role === 'analyst'
	};
};
