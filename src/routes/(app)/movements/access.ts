import { error, redirect } from '@sveltejs/kit';
import type { CallerUser } from '$lib/server/db';

/** Movement pages are for field staff, analysts and admins; a viewer gets 403, no one else a page. */
export function movementUser(locals: App.Locals, url: URL): CallerUser {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	if (!['admin', 'analyst', 'field'].includes(locals.user.role))
		error(403, 'Movement plans are for field staff, analysts and admins');
	return locals.user;
}
