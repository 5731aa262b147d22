import { fail, redirect } from '@sveltejs/kit';
import * as map from '$lib/server/map';
import { DuplicateActorError, listActors, powerInterest, saveActor } from '$lib/server/actors';
import { FilterError } from '$lib/domain/filters';
import { ACTOR_TYPES, STANCES, actorArgs, actorInput, fieldErrors } from '$lib/domain/actors';
import type { Actions, PageServerLoad } from './$types';
import { PCODE } from '$lib/domain/codes';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	const p = url.searchParams;
	const filters = {
		q: p.get('q')?.trim() || null,
		types: p.getAll('type').filter((x) => (ACTOR_TYPES as readonly string[]).includes(x)),
		stances: p.getAll('stance').filter((x) => (STANCES as readonly string[]).includes(x)),
		area: PCODE.test(p.get('area') ?? '') ? p.get('area') : null
	};
	const [list, grid, areas] = await Promise.all([
		listActors(locals.user, { ...filters, limit: 500 }),
		powerInterest(locals.user, { types: filters.types, area: filters.area }),
		map.areaList(locals.user)
	]);
	return {
		list,
		grid,
		areas: areas.filter((a) => a.level <= 2),
		filters,
		canAdd: locals.user.role !== 'viewer'
	};
};

export const actions: Actions = {
	create: async ({ locals, request }) => {
		if (!locals.user) redirect(303, '/login');
		const form = await request.formData();
		const raw = Object.fromEntries([...form.keys()].map((k) => [k, String(form.get(k) ?? '')]));
		const parsed = actorInput.safeParse(raw);
		if (!parsed.success)
			return fail(400, { create: { errors: fieldErrors(parsed.error), values: raw } });
		try {
			const a = await saveActor(locals.user, actorArgs(parsed.data));
			redirect(303, `/actors/${a.id}?saved=1`);
		} catch (e) {
			if (e instanceof DuplicateActorError)
				return fail(409, { create: { errors: {}, duplicates: e.duplicates, values: raw } });
			if (e instanceof FilterError)
				return fail(400, {
					create: { errors: { [e.parameter]: e.message.replace(/^[^:]+: /, '') }, values: raw }
				});
			throw e;
		}
	}
};
