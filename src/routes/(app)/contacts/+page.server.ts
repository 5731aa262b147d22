import { error, fail, redirect } from '@sveltejs/kit';
import * as accounts from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { noteRefused } from '$lib/server/audit';
import { FilterError } from '$lib/domain/filters';
import {
	areaOptions,
	cardSites,
	checkpointOptions,
	contactsNearby,
	listContacts,
	saveContactForm
} from '$lib/server/contacts';
import { actorNames } from '$lib/server/actors';
import type { Actions, PageServerLoad } from './$types';
import { PCODE, UUID } from '$lib/domain/codes';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	const user = locals.user;
	// Viewers see no contacts; nothing is asked of the database on their behalf but the note that
	// they were refused (the page explains instead of answering 403).
	if (user.role === 'viewer') {
		await noteRefused(await getDb(), user, 'GET', url.pathname);
		return { role: user.role, list: null, nearby: null } as const;
	}

	const p = url.searchParams;
	const filters = {
		q: p.get('q')?.trim() || null,
		area: PCODE.test(p.get('area') ?? '') ? p.get('area') : null,
		sensitivity:
			p.get('sensitivity') === 'normal' || p.get('sensitivity') === 'restricted'
				? p.get('sensitivity')
				: null
	};
	const canManage = user.role === 'admin' || user.role === 'analyst';
	const [list, me, areas, checkpoints, sites, actors] = await Promise.all([
		listContacts(user, { ...filters, limit: 500 }),
		accounts.me(user),
		areaOptions(user),
		checkpointOptions(user),
		cardSites(user),
		canManage ? actorNames(user) : Promise.resolve(null)
	]);

	// "Who to call here": ?lon=&lat= or ?cp=<checkpoint id>
	let nearby = null;
	let nearbyError: string | null = null;
	const cp = UUID.test(p.get('cp') ?? '')
		? checkpoints.find((c) => c.id === p.get('cp'))
		: undefined;
	const lon = cp ? cp.lon : p.get('lon') ? Number(p.get('lon')) : null;
	const lat = cp ? cp.lat : p.get('lat') ? Number(p.get('lat')) : null;
	if (lon !== null && lat !== null) {
		try {
			nearby = await contactsNearby(user, lon, lat);
		} catch (e) {
			if (e instanceof FilterError) nearbyError = e.message;
			else throw e;
		}
	}
	const areaNames = new Map(areas.map((a) => [a.pcode, a]));
	return {
		role: user.role,
		list,
		filters,
		assigned: me.assigned_areas.map((c) => areaNames.get(c)?.name_en ?? c),
		areas,
		checkpoints,
		sites,
		actors: actors?.map((a) => ({ id: a.id, name: a.name })) ?? [],
		nearby,
		nearbyError,
		point: lon !== null && lat !== null ? { lon, lat, cp: cp?.id ?? null } : null,
		canManage
	};
};

export const actions: Actions = {
	create: async ({ locals, request }) => {
		if (!locals.user) redirect(303, '/login');
		if (locals.user.role !== 'admin' && locals.user.role !== 'analyst')
			error(403, { message: 'Only analysts and admins add contacts.' });
		const r = await saveContactForm(locals.user, await request.formData());
		if (!r.ok) return fail(400, { create: { errors: r.errors, values: r.values } });
		redirect(303, `/contacts/${r.contact.id}?saved=1`);
	}
};
