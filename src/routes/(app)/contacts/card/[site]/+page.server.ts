import { error, redirect } from '@sveltejs/kit';
import { companionCard } from '$lib/server/contacts';
import type { PageServerLoad } from './$types';
import { UUID } from '$lib/domain/codes';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (locals.user.role === 'viewer')
		error(403, { message: 'Contacts are shown to field staff, analysts and admins only.' });
	if (!UUID.test(params.site)) error(404, { message: 'No such site.' });
	const card = await companionCard(locals.user, params.site, 40);
	if (!card) error(404, { message: 'No such site.' });
	return { card };
};
