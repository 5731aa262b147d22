import { error, fail, redirect } from '@sveltejs/kit';
import { APP_ROLES, type CallerUser } from '$lib/server/db';
import * as accounts from '$lib/server/auth';
import { isDbError } from '$lib/server/api/respond';
import { addUserAs, checkNewUser, type FieldErrors, type NewUser } from '$lib/server/auth/accounts';
import { FilterError, uuid } from '$lib/server/api/params';
import { areaOptions } from '$lib/server/contacts';
import { PCODE } from '$lib/domain/codes';
import { checkUserPatch, revokeAllTokens, updateUser } from '$lib/server/auth';
import type { Actions, PageServerLoad } from './$types';

import type { UserRow } from '$lib/server/auth';
export type { UserRow };

// The menu hides this page from other roles; the check here is what keeps them out, and RLS
// (users_list shows other people's rows to admins only, user_add/user_disable check the role)
// would refuse them anyway.
function admin(locals: App.Locals, url: URL): CallerUser {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (locals.user.role !== 'admin') error(403, { message: 'Only admins can manage users.' });
	return locals.user;
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = admin(locals, url);
	const [users, areas] = await Promise.all([accounts.listUsers(user), areaOptions(user)]);
	return { users, areas, myId: user.id, roles: APP_ROLES };
};

export const actions: Actions = {
	add: async ({ locals, url, request }) => {
		const user = admin(locals, url);
		const form = Object.fromEntries(await request.formData());
		const checked = checkNewUser(form);
		// The password never travels back to the page.
		const values = {
			email: String(form.email ?? ''),
			role: String(form.role ?? ''),
			display_name: String(form.display_name ?? '')
		};
		if (!checked.ok)
			return fail(400, { add: { errors: checked.errors as FieldErrors<keyof NewUser>, values } });
		try {
			await addUserAs(user, checked.value);
		} catch (e) {
			if (isDbError(e) && e.code === '23505') {
				const errors: FieldErrors<keyof NewUser> = { email: 'admin.users.exists' };
				return fail(409, { add: { errors, values } });
			}
			if (isDbError(e) && e.code === '42501') error(403, { message: e.message });
			throw e;
		}
		return { added: checked.value.email };
	},

	/** A field user's areas, which decide the contacts they see (user_set_areas: admins only). */
	areas: async ({ locals, url, request }) => {
		const user = admin(locals, url);
		const form = await request.formData();
		const id = formId(form);
		if (!id)
			return fail(400, { areasError: { id: '', message: 'admin.users.not_found' as const } });
		const areas = form.getAll('areas').map(String).filter(Boolean);
		const bad = areas.find((a) => !PCODE.test(a));
		if (bad) return fail(400, { areasError: { id, message: `areas: unknown P-code ${bad}` } });
		try {
			const r = await accounts.setAreas(user, id, areas);
			return { areasSaved: r.email };
		} catch (e) {
			if (isDbError(e) && e.code === '22023')
				return fail(400, { areasError: { id, message: e.message } });
			if (isDbError(e) && e.code === 'P0002')
				return fail(404, { areasError: { id, message: 'admin.users.not_found' as const } });
			if (isDbError(e) && e.code === '42501') error(403, { message: e.message });
			throw e;
		}
	},

	disable: async ({ locals, url, request }) => {
		const r = await change(admin(locals, url), await request.formData(), { disabled: true });
		return 'id' in r ? { disabled: r.email } : r;
	},

	enable: async ({ locals, url, request }) => {
		const r = await change(admin(locals, url), await request.formData(), { disabled: false });
		return 'id' in r ? { enabled: r.email } : r;
	},

	role: async ({ locals, url, request }) => {
		const form = await request.formData();
		let patch;
		try {
			patch = checkUserPatch({ role: String(form.get('role') ?? '') });
		} catch (e) {
			if (e instanceof FilterError)
				return fail(400, { disableError: 'admin.users.invalid_role' as const });
			throw e;
		}
		const r = await change(admin(locals, url), form, patch);
		return 'id' in r ? { roleSaved: { email: r.email, role: r.role } } : r;
	},

	revokeTokens: async ({ locals, url, request }) => {
		const user = admin(locals, url);
		const form = await request.formData();
		const id = formId(form);
		if (!id) return fail(400, { disableError: 'admin.users.not_found' as const });
		try {
			const r = await revokeAllTokens(user, id);
			return { tokensRevoked: { email: String(form.get('email') ?? ''), n: r.revoked } };
		} catch (e) {
			if (isDbError(e) && e.code === 'P0002')
				return fail(404, { disableError: 'admin.users.not_found' as const });
			if (isDbError(e) && e.code === '42501') error(403, { message: e.message });
			throw e;
		}
	}
};

/** The id of the row a form is about, or null when it is not a UUID. */
function formId(form: FormData): string | null {
	try {
		return uuid('id', String(form.get('id') ?? ''));
	} catch (e) {
		if (e instanceof FilterError) return null;
		throw e;
	}
}

/** An admin's change to a user (role, enabled): the changed user, or the page's failure. */
async function change(user: CallerUser, form: FormData, patch: Parameters<typeof updateUser>[2]) {
	const id = formId(form);
	if (!id) return fail(400, { disableError: 'admin.users.not_found' as const });
	try {
		return (await updateUser(user, id, patch)) as unknown as UserRow;
	} catch (e) {
		if (isDbError(e) && e.code === '22023')
			return fail(400, { disableError: 'signin.cannot_change_self' as const });
		if (isDbError(e) && e.code === 'P0002')
			return fail(404, { disableError: 'admin.users.not_found' as const });
		if (isDbError(e) && e.code === '42501') error(403, { message: e.message });
		throw e;
	}
}
