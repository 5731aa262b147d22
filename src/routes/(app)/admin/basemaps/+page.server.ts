import { error } from '@sveltejs/kit';
import { signedIn } from '$lib/server/api/respond';
import { listBasemaps } from '$lib/server/basemaps';
import type { PageServerLoad } from './$types';

// The menu shows this page to admins only; the API's POST and DELETE refuse others anyway.
export const load: PageServerLoad = async ({ locals, url }) => {
	if (signedIn(locals, url).role !== 'admin')
		error(403, { message: 'Only admins can add or remove basemaps.' });
	return { basemaps: await listBasemaps() };
};
