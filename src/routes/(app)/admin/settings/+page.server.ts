import { error, fail, redirect } from '@sveltejs/kit';
import type { CallerUser } from '$lib/server/db';
import { FilterError } from '$lib/server/api/params';
import { getSettings, updateSettings } from '$lib/server/sites';
import {
	alpha2,
	checkSettingsForm,
	SETTINGS_FIELDS,
	settingsValues,
	type SettingsField,
	type SettingsValues
} from '$lib/server/sites/settings-form';
import type { Actions, PageServerLoad } from './$types';

// The menu shows this page to admins only; this check keeps others out, and app_settings_update
// refuses them anyway.
function admin(locals: App.Locals, url: URL): CallerUser {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (locals.user.role !== 'admin') error(403, { message: 'Only admins can change the settings.' });
	return locals.user;
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const s = await getSettings(admin(locals, url));
	return { values: settingsValues(s), regions: alpha2(s.operating_area.countries) };
};

export const actions: Actions = {
	default: async ({ locals, url, request }) => {
		const user = admin(locals, url);
		const form = await request.formData();
		const values = Object.fromEntries(
			SETTINGS_FIELDS.map((k) => [k, String(form.get(k) ?? '')])
		) as SettingsValues;
		const checked = checkSettingsForm(values);
		if (!checked.ok) return fail(400, { errors: checked.errors, values });
		const before = JSON.stringify(await getSettings(user));
		try {
			const after = await updateSettings(user, checked.patch);
			return { saved: true, changed: JSON.stringify(after) !== before };
		} catch (e) {
			// The database's own check (the same ranges): shown next to the field it names.
			if (!(e instanceof FilterError)) throw e;
			const field: SettingsField =
				e.parameter === 'operating_area'
					? /buffer/.test(e.message)
						? 'buffer_km'
						: 'countries'
					: (((SETTINGS_FIELDS as readonly string[]).includes(e.parameter)
							? e.parameter
							: 'countries') as SettingsField);
			return fail(400, { errors: { [field]: e.message }, values });
		}
	}
};
