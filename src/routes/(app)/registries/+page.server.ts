import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** The registries start at the checkpoints, the list kept most often. */
export const load: PageServerLoad = () => redirect(303, '/registries/checkpoints');
