import { error, fail, redirect } from '@sveltejs/kit';
import * as incidents from '$lib/server/incidents';
import { formToInput, outsideArea, sqlErrors, validateIncident } from '$lib/server/incidents/http';
import { signedIn } from '$lib/server/api/respond';
import type { Actions, PageServerLoad } from './$types';
import { UUID } from '$lib/domain/codes';

const EDITORS = ['admin', 'analyst'];

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = signedIn(locals, url);
	if (!EDITORS.includes(user.role))
		error(403, { message: 'only analysts and admins can edit incidents' });
	if (!UUID.test(params.id)) error(404, { message: 'no such incident' });
	const i = await incidents.get(user, params.id);
	if (!i) error(404, { message: 'no such incident, or not visible to you' });
	const actors = await incidents.actorOptions(user);
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
		sensitive_location: i.sensitive_location ? 'on' : '',
		affects_ngos: i.affects_ngos ? 'on' : '',
		serious: i.serious ? 'on' : '',
		ops_impact: s(i.ops_impact),
		source: s(i.source),
		source_reliability: s(i.source_reliability),
		info_credibility: s(i.info_credibility),
		confidentiality: s(i.confidentiality),
		notes: s(i.notes)
	};
	return { id: params.id, values, actors, geoPrecision: i.geo_precision };
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
		const outside = await outsideArea(user, formToInput(form), patch);
		if (outside) return fail(400, { errors: outside, values });
		for (const k of ['actor1', 'actor2'])
			if (!(k in patch) && !(`${k}_id` in patch)) patch[k] = null;
		try {
			// The checkbox as the analyst left it is stated only when they changed it: otherwise
			// ticking "affects us" keeps the database's rule of turning it on.
			const before = await incidents.get(user, params.id);
			const sensitive = form.get('sensitive_location') === 'on';
			await incidents.update(user, params.id, patch);
			if (before && before.sensitive_location !== sensitive)
				await incidents.setSensitiveLocation(user, params.id, sensitive);
		} catch (e) {
			return fail(400, { errors: sqlErrors(e), values });
		}
		redirect(303, `/incidents/${params.id}`);
	}
};
