import { error, fail, redirect } from '@sveltejs/kit';
import * as map from '$lib/server/map';
import { isDbError } from '$lib/server/api/respond';
import {
	actorDependents,
	actorNames,
	addPresence,
	deleteActor,
	DuplicateActorError,
	getActor,
	presenceGeojson,
	removePresence,
	removeRelationship,
	saveActor,
	saveRelationship
} from '$lib/server/actors';
import { listContacts } from '$lib/server/contacts';
import { FilterError } from '$lib/domain/filters';
import {
	DELETE_MODES,
	actorArgs,
	actorInput,
	fieldErrors,
	relationshipArgs,
	relationshipInput,
	type DeleteMode
} from '$lib/domain/actors';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Actions, PageServerLoad } from './$types';
import { UUID } from '$lib/domain/codes';

type PresenceFeature = Feature<
	Polygon | MultiPolygon,
	{
		presence_id: string;
		label: string;
		area_name: string | null;
		area_name_ar: string | null;
		drawn: boolean;
	}
>;

function me(locals: App.Locals) {
	if (!locals.user) redirect(303, '/login');
	return locals.user;
}

function formValues(form: FormData): Record<string, string> {
	return Object.fromEntries([...form.keys()].map((k) => [k, String(form.get(k) ?? '')]));
}

function fieldFail(e: unknown, key: string, values: Record<string, string>) {
	if (e instanceof FilterError)
		return fail(400, {
			[key]: { errors: { [e.parameter]: e.message.replace(/^[^:]+: /, '') }, values }
		});
	if (isDbError(e) && e.code === '42501')
		return fail(403, { [key]: { errors: { body: e.message }, values } });
	throw e;
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = me(locals);
	if (!UUID.test(params.id)) error(404, { message: 'no such actor' });
	const actor = await getActor(user, params.id, 30);
	if (!actor) error(404, { message: 'no such actor' });
	const readsContacts = user.role !== 'viewer';
	const [contacts, others, areas, dependents, presence] = await Promise.all([
		readsContacts ? listContacts(user, { actorId: actor.id, limit: 100 }) : Promise.resolve(null),
		user.role === 'admin' || user.role === 'analyst' ? actorNames(user) : Promise.resolve(null),
		user.role === 'admin' || user.role === 'analyst' ? map.areaList(user) : Promise.resolve([]),
		user.role === 'admin' ? actorDependents(user, actor.id) : Promise.resolve(null),
		presenceGeojson(user, { actorIds: [actor.id] }) as Promise<{ features: PresenceFeature[] }>
	]);
	return {
		actor,
		contacts,
		others: others?.filter((a) => a.id !== actor.id).map((a) => ({ id: a.id, name: a.name })) ?? [],
		areas,
		dependents,
		presence,
		saved: url.searchParams.has('saved'),
		role: user.role
	};
};

export const actions: Actions = {
	update: async ({ locals, params, request }) => {
		const user = me(locals);
		const values = formValues(await request.formData());
		const parsed = actorInput.safeParse(values);
		if (!parsed.success)
			return fail(400, { update: { errors: fieldErrors(parsed.error), values } });
		try {
			await saveActor(user, actorArgs(parsed.data, params.id));
			return { saved: true };
		} catch (e) {
			if (e instanceof DuplicateActorError)
				return fail(409, { update: { errors: {}, duplicates: e.duplicates, values } });
			return fieldFail(e, 'update', values);
		}
	},

	addRel: async ({ locals, params, request }) => {
		const user = me(locals);
		const values = formValues(await request.formData());
		const outgoing = values.direction !== 'incoming';
		const parsed = relationshipInput.safeParse({
			...values,
			source_actor_id: outgoing ? params.id : values.other,
			target_actor_id: outgoing ? values.other : params.id
		});
		if (!parsed.success) {
			const errors = fieldErrors(parsed.error);
			if (errors.source_actor_id || errors.target_actor_id)
				errors.other = errors.target_actor_id ?? errors.source_actor_id;
			return fail(400, { rel: { errors, values } });
		}
		try {
			await saveRelationship(user, relationshipArgs(parsed.data));
			return { relSaved: true };
		} catch (e) {
			return fieldFail(e, 'rel', values);
		}
	},

	removeRel: async ({ locals, request }) => {
		const user = me(locals);
		const id = String((await request.formData()).get('id') ?? '');
		if (!UUID.test(id)) return fail(400, {});
		await removeRelationship(user, id);
		return { relRemoved: true };
	},

	addPresence: async ({ locals, params, request }) => {
		const user = me(locals);
		const values = formValues(await request.formData());
		// A polygon drawn on the map comes as GeoJSON text; an area as its P-code.
		let geojson: unknown = null;
		if (values.geometry) {
			try {
				geojson = JSON.parse(values.geometry);
			} catch {
				return fail(400, { presence: { errors: { geometry: 'not GeoJSON' }, values } });
			}
		}
		try {
			await addPresence(user, {
				p_actor_id: params.id,
				p_pcode: values.pcode || null,
				p_geojson: geojson,
				p_label: values.label ?? '',
				p_valid_from: values.valid_from || null,
				p_valid_to: values.valid_to || null
			});
			return { presenceSaved: true };
		} catch (e) {
			return fieldFail(e, 'presence', values);
		}
	},

	removePresence: async ({ locals, request }) => {
		const user = me(locals);
		const id = String((await request.formData()).get('id') ?? '');
		if (!UUID.test(id)) return fail(400, {});
		await removePresence(user, id);
		return { presenceRemoved: true };
	},

	delete: async ({ locals, params, request }) => {
		const user = me(locals);
		const values = formValues(await request.formData());
		const mode = (DELETE_MODES as readonly string[]).includes(values.mode)
			? (values.mode as DeleteMode)
			: null;
		let name: string;
		try {
			const r = await deleteActor(user, params.id, mode, values.target || null);
			name = String(r.name ?? '');
		} catch (e) {
			return fieldFail(e, 'del', values);
		}
		redirect(303, `/actors?deleted=${encodeURIComponent(name)}`);
	}
};
