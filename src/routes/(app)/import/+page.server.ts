import { error, fail } from '@sveltejs/kit';
import * as imports from '$lib/server/import';
import { DbError } from '$lib/server/db/types';
import { FIELDS } from '$lib/server/import/fields';
import { IMPORT_TARGETS } from '$lib/server/import/types';
import { signedIn } from '$lib/server/api/respond';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = signedIn(locals, url);
	if (user.role !== 'admin' && user.role !== 'analyst')
		error(403, { message: 'only analysts and admins can import' });
	const [mappings, jobs] = await Promise.all([imports.mappings(user), imports.jobs(user, 10)]);
	const fields = Object.fromEntries(IMPORT_TARGETS.map((t) => [t, FIELDS[t].map((f) => f.name)]));
	return { mappings, jobs, fields };
};

export const actions: Actions = {
	saveMapping: async ({ locals, request, url }) => {
		const f = await request.formData();
		const name = String(f.get('name') ?? '').trim();
		if (!name) return fail(400, { error: 'name: give the mapping a name' });
		let mapping: Record<string, string>;
		try {
			mapping = JSON.parse(String(f.get('mapping') ?? '{}'));
		} catch {
			return fail(400, { error: 'mapping: not JSON' });
		}
		try {
			await imports.saveMapping(signedIn(locals, url), {
				name,
				target: String(f.get('target')),
				format: String(f.get('format') ?? '') || null,
				mapping
			});
		} catch (e) {
			if (e instanceof DbError && e.httpStatus < 500)
				return fail(e.httpStatus, { error: e.message });
			throw e;
		}
		return { saved: name };
	}
};
