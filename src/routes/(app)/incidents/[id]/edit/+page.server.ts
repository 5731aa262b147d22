import { error, fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { formToInput, sqlErrors, validateIncident } from '$lib/server/incidents/http';
import { signedIn } from '$lib/server/api/respond';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EDITORS = ['admin', 'analyst'];

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = signedIn(locals, url);
	if (!EDITORS.includes(user.role))
		error(403, { message: 'only analysts and admins can edit incidents' });
	if (!UUID.test(params.id)) error(404, { message: 'no such incident' });
	const db = await getDb();
	const i = await db.rpc<Record<string, any> | null>('incident_get', { p_id: params.id }, user);
	if (!i) error(404, { message: 'no such incident, or not visible to you' });
	const actors = await db.rpc<{ id: string; name: string }[]>(
		'incident_actor_options',
		{ p_limit: 100 },
		user
	);
	const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));
	// The incident as the form's string values (checkboxes 'on').
	const values: Record<string, string> = {
		event_date: s(i.event_date),
		event_time: i.event_time ? String(i.event_time).slice(0, 5) : '',
		time_precision: s(i.time_precision),
		event_type: s(i.event_type),
		sub_event_type: s(i.sub_event_type),
		coordinates: `${i.lat}, ${i.lon}`,
		location_name: s(i.location_name),
		actor1: s(i.actor1),
		actor2: s(i.actor2),
		fatalities: s(i.fatalities),
		injuries: s(i.injuries),
		abductions: s(i.abductions),
		affects_us: i.affects_us ? 'on' : '',
		affects_ngos: i.affects_ngos ? 'on' : '',
		serious: i.serious ? 'on' : '',
		ops_impact: s(i.ops_impact),
		source: s(i.source),
		source_reliability: s(i.source_reliability),
		info_credibility: s(i.info_credibility),
		confidentiality: s(i.confidentiality),
		notes: s(i.notes)
	};
	return { id: params.id, values, actors, geoPrecision: i.geo_precision as number };
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const user = locals.user;
		if (!user || !EDITORS.includes(user.role))
			error(403, { message: 'only analysts and admins can edit incidents' });
		const form = await request.formData();
		const v = validateIncident(formToInput(form));
		const values = Object.fromEntries(
			[...form.entries()].filter(([, x]) => typeof x === 'string')
		) as Record<string, string>;
		if (!v.ok) return fail(400, { errors: v.errors, values });
		const { status: _status, ...patch } = v.payload;
		// Unchanged coordinates keep the incident's own location precision.
		if (String(form.get('coordinates_unchanged')) === '1') {
			delete patch.lon;
			delete patch.lat;
			delete patch.geo_precision;
		}
		for (const k of ['actor1', 'actor2'])
			if (!(k in patch) && !(`${k}_id` in patch)) patch[k] = null;
		try {
			await (await getDb()).rpc('incident_update', { p_id: params.id, p: patch }, user);
		} catch (e) {
			return fail(400, { errors: sqlErrors(e), values });
		}
		redirect(303, `/incidents/${params.id}`);
	}
};
