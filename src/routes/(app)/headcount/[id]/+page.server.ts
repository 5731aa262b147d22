import { error, fail, redirect } from '@sveltejs/kit';
import { isDbError } from '$lib/server/api/respond';
import { UUID } from '$lib/domain/codes';
import { closeHeadcount, getHeadcount } from '$lib/server/headcounts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	const user = locals.user;
	if (!user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (!UUID.test(params.id)) error(404, 'Not found');
	depends('terrain:headcount');
	try {
		return {
			headcount: await getHeadcount(user, params.id),
			me: user.id,
			staff: user.role === 'admin' || user.role === 'analyst'
		};
	} catch (e) {
		if (isDbError(e) && e.httpStatus === 404) error(404, 'Not found');
		throw e;
	}
};

export const actions: Actions = {
	close: async ({ locals, params }) => {
		if (!locals.user) error(401);
		try {
			await closeHeadcount(locals.user, params.id);
		} catch (e) {
			if (isDbError(e) && e.httpStatus < 500) return fail(e.httpStatus, { error: e.message });
			throw e;
		}
		return { ok: true };
	}
};
