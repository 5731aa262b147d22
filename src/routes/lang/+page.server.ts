import { redirect } from '@sveltejs/kit';
import { isLocale } from '$lib/i18n';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async ({ request, cookies }) => {
		const form = await request.formData();
		const lang = form.get('lang');
		if (isLocale(lang)) {
			cookies.set('terrain_lang', lang, {
				path: '/',
				httpOnly: false,
				sameSite: 'lax',
				maxAge: 365 * 86400
			});
		}
		const next = String(form.get('next') ?? '/');
		// Only same-site paths: never an open redirect.
		redirect(303, next.startsWith('/') && !next.startsWith('//') ? next : '/');
	}
};
