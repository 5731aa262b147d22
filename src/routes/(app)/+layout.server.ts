import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

// Every page in (app) needs a signed-in user.
export const load: LayoutServerLoad = ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	return {};
};
