import { error, fail, redirect } from '@sveltejs/kit';
import * as incidents from '$lib/server/incidents';
import { formToInput } from '$lib/server/incidents/http';
import { idempotencyKey } from '$lib/server/api/idempotency';
import { isDbError, signedIn } from '$lib/server/api/respond';
import { FilterError } from '$lib/domain/filters';
import type { Actions, PageServerLoad } from './$types';

const REPORTERS = ['admin', 'analyst', 'field'];

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = signedIn(locals, url);
	if (!REPORTERS.includes(user.role)) error(403, { message: 'viewers cannot report incidents' });
	const actors = await incidents.actorOptions(user);
	return { actors };
};

function formValues(form: FormData): Record<string, string> {
	return Object.fromEntries([...form.entries()].filter(([, x]) => typeof x === 'string')) as Record<
		string,
		string
	>;
}

export const actions: Actions = {
	default: async ({ locals, request, url }) => {
		const user = signedIn(locals, url);
		if (!REPORTERS.includes(user.role)) error(403, { message: 'viewers cannot report incidents' });
		const form = await request.formData();
		const input = formToInput(form);
		let r: Awaited<ReturnType<typeof incidents.create>>;
		try {
			// The form carries an idempotency key made in the browser: a resubmission after a lost
			// answer leads to the incident created the first time, not to a second one.
			r = await incidents.create(user, input, undefined, {
				idempotencyKey: idempotencyKey(request, form)
			});
		} catch (e) {
			if (e instanceof FilterError || (isDbError(e) && e.httpStatus === 422))
				return fail(422, { errors: { form: e.message }, values: formValues(form) });
			throw e;
		}
		if (!r.ok)
			return fail(400, {
				errors: r.errors,
				values: formValues(form)
			});
		redirect(
			303,
			`/incidents/${r.incident.id}?created=1${r.duplicates.length ? `&duplicates=${r.duplicates.length}` : ''}`
		);
	}
};
