import { fail, redirect } from '@sveltejs/kit';
import { isDbError } from '$lib/server/api/respond';
import { saveMovement } from '$lib/server/movements';
import { cardSites, checkpointOptions } from '$lib/server/contacts';
import { movementUser } from '../access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = movementUser(locals, url);
	const [sites, checkpoints] = await Promise.all([cardSites(user), checkpointOptions(user)]);
	return { me: { id: user.id, email: user.email }, sites, checkpoints };
};

const json = (v: FormDataEntryValue | null) => {
	if (typeof v !== 'string' || v.trim() === '') return undefined;
	try {
		return JSON.parse(v);
	} catch {
		return undefined;
	}
};

export const actions: Actions = {
	default: async ({ locals, url, request }) => {
		const user = movementUser(locals, url);
		const fd = await request.formData();
		const fields: Record<string, unknown> = {
			purpose: String(fd.get('purpose') ?? ''),
			departure_at: String(fd.get('departure_at') ?? ''),
			return_at: String(fd.get('return_at') ?? ''),
			team: json(fd.get('team')) ?? [],
			vehicles: json(fd.get('vehicles')) ?? [],
			stops: json(fd.get('stops')) ?? [],
			notes: String(fd.get('notes') ?? '')
		};
		const route = json(fd.get('route'));
		if (route) {
			fields.route = route;
			fields.route_source = String(fd.get('route_source') ?? 'drawn');
		}
		let id: string;
		try {
			id = (await saveMovement(user, null, fields)).id;
		} catch (e) {
			if (isDbError(e) && e.httpStatus < 500) return fail(400, { error: e.message });
			throw e;
		}
		redirect(303, `/movements/${id}`);
	}
};
