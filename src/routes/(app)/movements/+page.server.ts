import { listMovements } from '$lib/server/movements';
import { movementUser } from './access';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = movementUser(locals, url);
	return { movements: await listMovements(user) };
};
