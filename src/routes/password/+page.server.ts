import { fail, redirect } from '@sveltejs/kit';
import { changePassword } from '$lib/server/auth/password-change';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) redirect(303, '/login?next=/password');
	return { mustChange: !!locals.user.must_change };
};

export const actions: Actions = {
	default: async ({ request, locals, cookies }) => {
		if (!locals.user) redirect(303, '/login?next=/password');
		const form = await request.formData();
		const problem = await changePassword(
			locals.user,
			String(form.get('current') ?? ''),
			String(form.get('next') ?? ''),
			String(form.get('confirm') ?? ''),
			cookies.get(SESSION_COOKIE),
			// A tick box, on by default: a password change is often a reaction to a leak.
			form.get('revoke_tokens') === 'on'
		);
		if (problem) return fail(400, { error: problem });
		redirect(303, '/map');
	}
};
