import { listAuthorisations } from '$lib/server/movements/authorisations';
import { movementUser } from '../access';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = movementUser(locals, url);
	return {
		authorisations: await listAuthorisations(user),
		canEdit: user.role === 'admin' || user.role === 'analyst'
	};
};
