import { error, fail, redirect } from '@sveltejs/kit';
import { FilterError } from '$lib/domain/filters';
import { isUuid } from '$lib/domain/codes';
import { parseCoordinates } from '$lib/domain/coordinates';
import { formToFields, isRegistryKind, type RegistryKind } from '$lib/domain/registries';
import { actorNames } from '$lib/server/actors';
import {
	checkLocation,
	deleteSite,
	getSettings,
	getSite,
	listSites,
	populationHistory,
	saveSite
} from '$lib/server/sites';
import type { Actions, PageServerLoad } from './$types';

const EDITORS = ['admin', 'analyst'];

function kindOf(raw: string): RegistryKind {
	if (!isRegistryKind(raw)) error(404, { message: 'no such registry' });
	return raw;
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = locals.user!;
	const kind = kindOf(params.kind);
	const canEdit = EDITORS.includes(user.role);
	const editId = url.searchParams.get('edit');
	const [fc, settings, actors, editing] = await Promise.all([
		listSites(user, kind),
		getSettings(user),
		canEdit && kind === 'checkpoints' ? actorNames(user) : Promise.resolve([]),
		isUuid(editId) ? getSite(user, kind, editId) : Promise.resolve(null)
	]);
	const history =
		editing && (kind === 'idp_camps' || kind === 'displacement_locations')
			? await populationHistory(user, kind, editing.id)
			: [];
	return {
		kind,
		features: fc.features as {
			id: string;
			geometry: { coordinates: [number, number] };
			properties: Record<string, unknown>;
		}[],
		staleDays: settings.checkpoint_stale_days,
		actors,
		canEdit,
		canDelete: user.role === 'admin',
		editing,
		creating: url.searchParams.has('new'),
		history
	};
};

function failWith(e: unknown, values: Record<string, string>) {
	if (e instanceof FilterError)
		return fail(400, { errors: { [e.parameter]: e.message }, values } as const);
	throw e;
}

export const actions: Actions = {
	/** Creates (no id) or changes a record with the fields of the form. */
	save: async ({ locals, params, request }) => {
		const user = locals.user!;
		if (!EDITORS.includes(user.role)) error(403, { message: 'only analysts and admins' });
		const kind = kindOf(params.kind);
		const form = await request.formData();
		const values = Object.fromEntries(
			[...form.entries()].filter(([, v]) => typeof v === 'string')
		) as Record<string, string>;
		const id = isUuid(values.id) ? values.id : null;
		const fields = formToFields(kind, form);
		// A checkpoint's status sent through the API verifies it; the form sends every field, so an
		// unchanged status is left out (saving without a change must change nothing).
		if (id && fields.status === values.status_original) delete fields.status;
		// The location is sent only when it was changed (so an old site outside the area is not
		// asked about again at every edit).
		const where = (values.location ?? '').trim();
		if (!id || where !== (values.location_original ?? '').trim()) {
			const c = where ? parseCoordinates(where) : null;
			if (!c || !c.ok)
				return fail(400, { errors: { location: c && !c.ok ? c.error : 'required' }, values });
			fields.lon = c.value.lon;
			fields.lat = c.value.lat;
			if (form.get('confirm_outside_area') !== 'on') {
				const a = await checkLocation(user, c.value.lon, c.value.lat);
				if (!a.inside) return fail(400, { errors: {}, outside: a, values });
			}
			fields.confirm_outside_area = true;
		}
		let r;
		try {
			r = await saveSite(user, kind, id, fields);
		} catch (e) {
			return failWith(e, values);
		}
		redirect(303, `/registries/${kind}?saved=${r.write.changed.length ? 1 : 0}&id=${r.write.id}`);
	},
	/** One click: the checkpoint was seen as it is recorded, now. */
	verify: async ({ locals, params, request }) => {
		const user = locals.user!;
		if (!EDITORS.includes(user.role)) error(403, { message: 'only analysts and admins' });
		const kind = kindOf(params.kind);
		const id = String((await request.formData()).get('id') ?? '');
		if (!isUuid(id)) error(400, { message: 'id' });
		await saveSite(user, kind, id, { verified_now: true });
		redirect(303, `/registries/${kind}?saved=1&id=${id}`);
	},
	/** Closes a record (its history stays); a reason may be given for a checkpoint. */
	close: async ({ locals, params, request }) => {
		const user = locals.user!;
		if (!EDITORS.includes(user.role)) error(403, { message: 'only analysts and admins' });
		const kind = kindOf(params.kind);
		const form = await request.formData();
		const id = String(form.get('id') ?? '');
		if (!isUuid(id)) error(400, { message: 'id' });
		await saveSite(user, kind, id, { status: 'closed' });
		redirect(303, `/registries/${kind}?saved=1&id=${id}`);
	},
	delete: async ({ locals, params, request }) => {
		const user = locals.user!;
		if (user.role !== 'admin') error(403, { message: 'only admins delete' });
		const kind = kindOf(params.kind);
		const id = String((await request.formData()).get('id') ?? '');
		if (!isUuid(id)) error(400, { message: 'id' });
		await deleteSite(user, kind, id);
		redirect(303, `/registries/${kind}`);
	}
};
