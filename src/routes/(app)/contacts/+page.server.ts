import { fail, redirect } from '@sveltejs/kit';
import { rpc } from '$lib/server/db';
import { FilterError } from '$lib/domain/filters';
import { cardSites, contactsNearby, listContacts, saveContact } from '$lib/server/contacts';
import { actorNames } from '$lib/server/actors';
import { contactArgs, PHONE_TYPES } from '$lib/domain/contacts';
import type { Actions, PageServerLoad } from './$types';

const PCODE = /^[A-Z]{2,3}[A-Z0-9]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Checkpoint = { id: string; name: string; lon: number; lat: number };

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	const user = locals.user;
	// Viewers see no contacts; nothing is asked of the database on their behalf.
	if (user.role === 'viewer') return { role: user.role, list: null, nearby: null } as const;

	const p = url.searchParams;
	const filters = {
		q: p.get('q')?.trim() || null,
		area: PCODE.test(p.get('area') ?? '') ? p.get('area') : null,
		sensitivity: p.get('sensitivity') === 'normal' || p.get('sensitivity') === 'restricted' ? p.get('sensitivity') : null
	};
	const canManage = user.role === 'admin' || user.role === 'analyst';
	const [list, me, areas, cps, sites, actors] = await Promise.all([
		listContacts(user, { ...filters, limit: 500 }),
		rpc<{ assigned_areas: string[] }>('me', {}, user),
		rpc<{ pcode: string; level: number; name_en: string; name_ar: string | null }[]>('areas_list', { p_level: null }, user),
		rpc<{ features: { id: string; geometry: { coordinates: [number, number] }; properties: { name: string } }[] }>('sites_geojson', { p_kind: 'checkpoints' }, user),
		cardSites(user),
		canManage ? actorNames(user) : Promise.resolve(null)
	]);
	const checkpoints: Checkpoint[] = cps.features.map((f) => ({ id: f.id, name: f.properties.name, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }));

	// "Who to call here": ?lon=&lat= or ?cp=<checkpoint id>
	let nearby = null;
	let nearbyError: string | null = null;
	const cp = UUID.test(p.get('cp') ?? '') ? checkpoints.find((c) => c.id === p.get('cp')) : undefined;
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
		canManage,
		phoneTypes: PHONE_TYPES
	};
};

export const actions: Actions = {
	create: async ({ locals, request }) => {
		if (!locals.user) redirect(303, '/login');
		const f = await request.formData();
		const s = (k: string) => String(f.get(k) ?? '').trim();
		const values = Object.fromEntries([...f.keys()].map((k) => [k, s(k)]));
		const phones = [0, 1, 2]
			.map((i) => ({ number: s(`phone${i}`), phone_type: s(`phone_type${i}`) || 'mobile', label: '' }))
			.filter((x) => x.number);
		const body = {
			full_name: s('full_name'), name_ar: s('name_ar') || null, role_title: s('role_title'), actor_id: s('actor_id') || null,
			call_sign: s('call_sign') || null, languages: s('languages').split(/[,\s]+/).filter(Boolean),
			sensitivity: s('sensitivity') || 'normal', emergency: f.get('emergency') === 'on', notes: s('notes'), phones,
			areas: f.getAll('areas').map(String).filter(Boolean), checkpoint_ids: f.getAll('checkpoint_ids').map(String).filter(Boolean),
			verified: f.get('verified') === 'on'
		};
		const r = contactArgs(body);
		if (!r.ok) return fail(400, { create: { errors: r.errors, values } });
		try {
			const c = await saveContact(locals.user, r.args);
			redirect(303, `/contacts/${c.id}?saved=1`);
		} catch (e) {
			if (e instanceof FilterError) return fail(400, { create: { errors: { [e.parameter]: e.message.replace(/^[^:]+: /, '') }, values } });
			throw e;
		}
	}
};
