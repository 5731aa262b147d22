import { error, fail, redirect } from '@sveltejs/kit';
import { isDbError } from '$lib/server/api/respond';
import {
	contactFormOptions,
	deleteContact,
	getContact,
	saveContactForm,
	verifyContact
} from '$lib/server/contacts';
import type { Actions, PageServerLoad } from './$types';
import { UUID } from '$lib/domain/codes';

const canEdit = (role: string) => role === 'admin' || role === 'analyst';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (locals.user.role === 'viewer')
		error(403, { message: 'Contacts are shown to field staff, analysts and admins only.' });
	if (!UUID.test(params.id)) error(404, { message: 'No such contact, or not one you may see.' });
	// Audited in SQL, found or not.
	const contact = await getContact(locals.user, params.id);
	if (!contact) error(404, { message: 'No such contact, or not one you may see.' });
	// ?edit shows the form to those RLS lets change a contact's scope (analysts and admins).
	const editing = url.searchParams.has('edit') && canEdit(locals.user.role);
	return {
		contact,
		role: locals.user.role,
		canEdit: canEdit(locals.user.role),
		editing,
		options: editing ? await contactFormOptions(locals.user) : null,
		saved: url.searchParams.has('saved')
	};
};

export const actions: Actions = {
	save: async ({ locals, params, request }) => {
		if (!locals.user) redirect(303, '/login');
		if (!canEdit(locals.user.role))
			error(403, { message: 'Only analysts and admins edit contacts.' });
		if (!UUID.test(params.id)) error(404, { message: 'No such contact, or not one you may see.' });
		try {
			const r = await saveContactForm(locals.user, await request.formData(), params.id);
			if (!r.ok) return fail(400, { edit: { errors: r.errors, values: r.values } });
		} catch (e) {
			if (isDbError(e) && e.code === '42501') return fail(403, { error: e.message });
			throw e;
		}
		redirect(303, `/contacts/${params.id}?saved=1`);
	},
	verify: async ({ locals, params }) => {
		if (!locals.user) redirect(303, '/login');
		try {
			await verifyContact(locals.user, params.id);
		} catch (e) {
			if (isDbError(e) && e.code === '42501') return fail(403, { error: e.message });
			throw e;
		}
		return { verified: true };
	},
	delete: async ({ locals, params }) => {
		if (!locals.user) redirect(303, '/login');
		try {
			await deleteContact(locals.user, params.id);
		} catch (e) {
			if (isDbError(e) && (e.code === '42501' || e.code === 'P0002'))
				return fail(403, { error: e.message });
			throw e;
		}
		redirect(303, '/contacts');
	}
};
