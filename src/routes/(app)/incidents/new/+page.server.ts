import { error, fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { createIncident } from '$lib/server/incidents/http';
import type { Actions, PageServerLoad } from './$types';

const REPORTERS = ['admin', 'analyst', 'field'];

export const load: PageServerLoad = async ({ locals }) => {
	const user = locals.user!;
	if (!REPORTERS.includes(user.role)) error(403, { message: 'viewers cannot report incidents' });
	const actors = await (await getDb()).rpc<{ id: string; name: string }[]>('incident_actor_options', { p_limit: 100 }, user);
	return { actors };
};

/** The form's fields as the shared schema reads them (checkboxes are 'on' or absent). */
function formToInput(form: FormData): Record<string, unknown> {
	const v = (k: string) => {
		const x = form.get(k);
		return typeof x === 'string' ? x : undefined;
	};
	return {
		event_date: v('event_date'),
		event_time: v('event_time'),
		time_precision: v('time_precision') || undefined,
		event_type: v('event_type') || undefined,
		sub_event_type: v('sub_event_type'),
		coordinates: v('coordinates'),
		admin_pcode: v('admin_pcode'),
		location_name: v('location_name'),
		actor1: v('actor1') ? { name: v('actor1') } : null,
		actor2: v('actor2') ? { name: v('actor2') } : null,
		fatalities: v('fatalities'),
		injuries: v('injuries'),
		abductions: v('abductions'),
		affects_us: form.get('affects_us') === 'on',
		affects_ngos: form.get('affects_ngos') === 'on',
		serious: form.get('serious') === 'on',
		ops_impact: v('ops_impact'),
		source: v('source'),
		source_reliability: v('source_reliability'),
		info_credibility: v('info_credibility'),
		confidentiality: v('confidentiality') || undefined,
		notes: v('notes') ?? '',
		status: v('status') || undefined
	};
}

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const user = locals.user;
		if (!user || !REPORTERS.includes(user.role)) error(403, { message: 'viewers cannot report incidents' });
		const form = await request.formData();
		const input = formToInput(form);
		const r = await createIncident(await getDb(), user, input);
		if (!r.ok) return fail(400, { errors: r.errors, values: Object.fromEntries([...form.entries()].filter(([, x]) => typeof x === 'string')) as Record<string, string> });
		redirect(303, `/incidents/${r.incident.id}?created=1`);
	}
};
