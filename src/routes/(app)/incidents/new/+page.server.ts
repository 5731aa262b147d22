import { error, fail, redirect } from '@sveltejs/kit';
import * as incidents from '$lib/server/incidents';
import { formToInput } from '$lib/server/incidents/http';
import type { Actions, PageServerLoad } from './$types';

const REPORTERS = ['admin', 'analyst', 'field'];

export const load: PageServerLoad = async ({ locals }) => {
	const user = locals.user!;
	if (!REPORTERS.includes(user.role)) error(403, { message: 'viewers cannot report incidents' });
	const actors = await incidents.actorOptions(user);
	return { actors };
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const user = locals.user;
		if (!user || !REPORTERS.includes(user.role))
			error(403, { message: 'viewers cannot report incidents' });
		const form = await request.formData();
		const input = formToInput(form);
		const r = await incidents.create(user, input);
		if (!r.ok)
			return fail(400, {
				errors: r.errors,
				values: Object.fromEntries(
					[...form.entries()].filter(([, x]) => typeof x === 'string')
				) as Record<string, string>
			});
		redirect(
			303,
			`/incidents/${r.incident.id}?created=1${r.duplicates.length ? `&duplicates=${r.duplicates.length}` : ''}`
		);
	}
};
