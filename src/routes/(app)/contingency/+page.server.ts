import { error, redirect } from '@sveltejs/kit';
import { contingencyOverview } from '$lib/server/contingency';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = locals.user;
	if (!user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (user.role === 'viewer')
		error(403, 'Contingency plans are for field staff, analysts and admins');
	return { bases: await contingencyOverview(user) };
};
