import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	user: locals.user
		? { id: locals.user.id, email: locals.user.email, role: locals.user.role }
		: null,
	locale: locals.locale
});
