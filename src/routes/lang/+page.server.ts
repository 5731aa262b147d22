import { redirect } from '@sveltejs/kit';
import { isLocale } from '$lib/i18n';
import { setMyLocale } from '$lib/server/alerts';
import type { Actions, PageServerLoad } from './$types';

// Only same-site paths: never an open redirect.
const safeNext = (v: unknown) => {
	const next = String(v ?? '/');
	return next.startsWith('/') && !next.startsWith('//') ? next : '/';
};

// The language is chosen by POSTing the switcher's form. A plain GET of /lang (a bookmark, an old
// link, `/lang?l=ar` typed by hand) used to end in a 500 "Missing +page.svelte": it now changes
// nothing (a GET must not set state) and goes back to where it came from.
export const load: PageServerLoad = ({ url }) => {
	redirect(303, safeNext(url.searchParams.get('next')));
};

export const actions: Actions = {
	default: async ({ request, cookies, locals }) => {
		const form = await request.formData();
		const lang = form.get('lang');
		if (isLocale(lang)) {
			cookies.set('terrain_lang', lang, {
				path: '/',
				httpOnly: false,
				sameSite: 'lax',
				maxAge: 365 * 86400
			});
			// remembered for e-mails too; the switch itself never fails on it
			if (locals.user)
				await setMyLocale(locals.user, lang).catch((e) => console.error('language not kept', e));
		}
		redirect(303, safeNext(form.get('next')));
	}
};
