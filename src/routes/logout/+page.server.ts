import { redirect } from '@sveltejs/kit';
import { SESSION_COOKIE, signOut } from '$lib/server/auth/session';
import type { Actions, PageServerLoad } from './$types';

/** Nobody is signed in: nothing to sign out of. */
export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) redirect(303, '/login');
};

export const actions: Actions = {
	default: async ({ cookies }) => {
		const token = cookies.get(SESSION_COOKIE);
		if (token) await signOut(token);
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/login');
	}
};
