import { redirect } from '@sveltejs/kit';
import type { CallerUser } from '../db/types.ts';

/**
 * The signed-in user of a page load, or a redirect to the sign-in page. The (app) layout does the
 * same, but SvelteKit runs a page's load alongside its layout's, so each load checks for itself.
 */
export function pageUser(locals: App.Locals, url: URL): CallerUser {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	return locals.user;
}
