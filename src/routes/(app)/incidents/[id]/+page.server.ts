import { error, fail } from '@sveltejs/kit';
import * as incidents from '$lib/server/incidents';
import type { Duplicate } from '$lib/server/incidents';
import { DbError } from '$lib/server/db/types';
import { signedIn } from '$lib/server/api/respond';
import type { Actions, PageServerLoad } from './$types';
import { UUID } from '$lib/domain/codes';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = signedIn(locals, url);
	if (!UUID.test(params.id)) error(404, { message: 'no such incident' });
	const incident = await incidents.get(user, params.id);
	if (!incident) error(404, { message: 'no such incident, or not visible to you' });
	const analyst = user.role === 'admin' || user.role === 'analyst';
	const [history, duplicates, merges] = await Promise.all([
		incidents.history(user, params.id),
		analyst ? incidents.duplicates(user, params.id) : Promise.resolve([] as Duplicate[]),
		analyst ? incidents.mergesOf(user, params.id) : Promise.resolve([])
	]);
	return { incident, history: history ?? [], duplicates, merges, analyst };
};

/** A database refusal as the form's error message; anything else is a real failure. */
function refused(e: unknown) {
	if (e instanceof DbError && e.httpStatus < 500) return fail(e.httpStatus, { error: e.message });
	throw e;
}

export const actions: Actions = {
	transition: async ({ locals, params, request, url }) => {
		const f = await request.formData();
		try {
			const to = String(f.get('to') ?? '');
			await incidents.transition(
				signedIn(locals, url),
				params.id,
				to,
				String(f.get('reason') ?? '') || null
			);
		} catch (e) {
			return refused(e);
		}
		return { done: String(f.get('to')) };
	},
	merge: async ({ locals, params, request, url }) => {
		const f = await request.formData();
		try {
			const other = String(f.get('other') ?? '');
			await incidents.merge(
				signedIn(locals, url),
				params.id,
				other,
				String(f.get('reason') ?? '') || null
			);
		} catch (e) {
			return refused(e);
		}
		return { done: 'merge' };
	},
	unmerge: async ({ locals, request, url }) => {
		const f = await request.formData();
		try {
			await incidents.unmerge(signedIn(locals, url), String(f.get('merge') ?? ''));
		} catch (e) {
			return refused(e);
		}
		return { done: 'unmerge' };
	}
};
