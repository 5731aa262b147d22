import { error } from '@sveltejs/kit';
import { isDbError } from '$lib/server/api/respond';
import { UUID } from '$lib/domain/codes';
import { getAuthorisation, saveAuthorisation } from '$lib/server/movements/authorisations';
import { areaOptions } from '$lib/server/contacts';
import { movementUser } from '../../access';
import { formFields, refused } from '../form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = movementUser(locals, url);
	if (!UUID.test(params.id)) error(404, 'Not found');
	try {
		return {
			authorisation: await getAuthorisation(user, params.id),
			areas: (await areaOptions(user)).filter((a) => a.level <= 2),
			canEdit: user.role === 'admin' || user.role === 'analyst',
			saved: url.searchParams.has('saved')
		};
	} catch (e) {
		if (isDbError(e) && e.httpStatus === 404) error(404, 'Not found');
		throw e;
	}
};

export const actions: Actions = {
	default: async ({ locals, url, request, params }) => {
		const user = movementUser(locals, url);
		try {
			await saveAuthorisation(user, params.id, formFields(await request.formData()));
		} catch (e) {
			return refused(e);
		}
		return { saved: true };
	}
};
