import { error, redirect } from '@sveltejs/kit';
import { saveAuthorisation } from '$lib/server/movements/authorisations';
import { areaOptions } from '$lib/server/contacts';
import { movementUser } from '../../access';
import { formFields, refused } from '../form';
import type { Actions, PageServerLoad } from './$types';

const staffOnly = (role: string) => {
	if (role !== 'admin' && role !== 'analyst')
		error(403, 'Analysts and admins keep the access authorisations');
};

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = movementUser(locals, url);
	staffOnly(user.role);
	return { areas: (await areaOptions(user)).filter((a) => a.level <= 2) };
};

export const actions: Actions = {
	default: async ({ locals, url, request }) => {
		const user = movementUser(locals, url);
		staffOnly(user.role);
		let id: string;
		try {
			id = (await saveAuthorisation(user, null, formFields(await request.formData()))).id;
		} catch (e) {
			return refused(e);
		}
		redirect(303, `/movements/authorisations/${id}?saved=1`);
	}
};
