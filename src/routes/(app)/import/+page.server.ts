import { error, fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { DbError } from '$lib/server/db/types';
import { FIELDS } from '$lib/server/import/fields';
import { IMPORT_TARGETS } from '$lib/server/import/types';
import { signedIn } from '$lib/server/api/respond';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = signedIn(locals, url);
	if (user.role !== 'admin' && user.role !== 'analyst')
		error(403, { message: 'only analysts and admins can import' });
	const db = await getDb();
	const [mappings, jobs] = await Promise.all([
		db.rpc<{ id: string; name: string; target: string; mapping: Record<string, string> }[]>(
			'import_mappings_list',
			{},
			user
		),
		db.rpc<Record<string, unknown>[]>('import_jobs_list', { p_limit: 10 }, user)
	]);
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
			await (
				await getDb()
			).rpc(
				'import_mapping_save',
				{
					p_name: name,
					p_target: String(f.get('target')),
					p_format: String(f.get('format') ?? '') || null,
					p_mapping: mapping
				},
				signedIn(locals, url)
			);
		} catch (e) {
			if (e instanceof DbError && e.httpStatus < 500)
				return fail(e.httpStatus, { error: e.message });
			throw e;
		}
		return { saved: name };
	}
};
