import { error, fail, redirect } from '@sveltejs/kit';
import { isDbError } from '$lib/server/api/respond';
import { FilterError } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { UUID } from '$lib/domain/codes';
import {
	addRoute,
	contingencyOverview,
	getPlan,
	listRoutes,
	PLAN_KINDS,
	removeRoute,
	savePlan,
	zPlanFields,
	type PlanKind
} from '$lib/server/contingency';
import { addTrigger, listTriggers, removeTrigger } from '$lib/server/contingency/triggers';
import { listSites } from '$lib/server/sites';
import { areaList } from '$lib/server/map';
import { parseCoordinates } from '$lib/domain/coordinates';
import type { Actions, PageServerLoad } from './$types';

const kindOf = (k: string): PlanKind => {
	if (!(PLAN_KINDS as readonly string[]).includes(k)) error(404, 'Not found');
	return k as PlanKind;
};

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = locals.user;
	if (!user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (user.role === 'viewer')
		error(403, 'Contingency plans are for field staff, analysts and admins');
	if (!UUID.test(params.base)) error(404, 'Not found');
	const kind = kindOf(params.kind);
	const base = (await contingencyOverview(user)).find((b) => b.base_site_id === params.base);
	if (!base) error(404, 'Not found');
	const ref = base.plans[kind];
	const canEdit = user.role === 'admin' || user.role === 'analyst';
	return {
		base: { id: base.base_site_id, name: base.base_name },
		kind,
		plan: ref ? await getPlan(user, ref.id) : null,
		triggers: ref ? await listTriggers(user, ref.id) : [],
		// the drawn routes (the roads out); the read is audited
		routes: ref ? await listRoutes(user, ref.id) : [],
		// the checkpoints a trigger may watch (only those who may add one need the list)
		checkpoints:
			ref && canEdit
				? (await listSites(user, 'checkpoints')).features.map((f) => {
						const p = (f as { properties: { id: string; name: string; status: string } })
							.properties;
						return { id: p.id, name: p.name, status: p.status };
					})
				: [],
		// the areas an area-level trigger may watch, every admin level (the picker's list)
		areas:
			ref && canEdit
				? (await areaList(user)).map((a) => ({
						pcode: a.pcode,
						name_en: a.name_en,
						name_ar: a.name_ar
					}))
				: [],
		canEdit
	};
};

/**
 * A trigger or route form's failure as the page shows it, under the form's own key: the field
 * named, as the API would.
 */
function failure(key: 'triggerError' | 'routeError', e: unknown) {
	if (e instanceof FilterError) return fail(400, { [key]: `${e.parameter}: ${e.message}` });
	if (isDbError(e) && e.httpStatus < 500) return fail(e.httpStatus, { [key]: e.message });
	throw e;
}

/** A number field of the trigger form: empty is left out, so the database names it as missing. */
const num = (fd: FormData, k: string) => {
	const v = String(fd.get(k) ?? '').trim();
	return v === '' ? undefined : Number(v);
};

export const actions: Actions = {
	save: async ({ locals, params, request }) => {
		const user = locals.user;
		if (!user) error(401);
		const fd = await request.formData();
		try {
			const fields = parseWith(zPlanFields, {
				summary: String(fd.get('summary') ?? ''),
				routes: String(fd.get('routes') ?? ''),
				responsible: String(fd.get('responsible') ?? ''),
				sites: JSON.parse(String(fd.get('sites') || '[]')),
				note: String(fd.get('note') ?? '')
			});
			await savePlan(user, params.base, kindOf(params.kind), fields);
		} catch (e) {
			if (e instanceof FilterError) return fail(400, { error: `${e.parameter}: ${e.message}` });
			if (e instanceof SyntaxError) return fail(400, { error: 'sites: not a list' });
			if (isDbError(e) && e.httpStatus < 500) return fail(e.httpStatus, { error: e.message });
			throw e;
		}
		return { saved: true };
	},
	addTrigger: async ({ locals, request }) => {
		const user = locals.user;
		if (!user) error(401);
		const fd = await request.formData();
		const kind = String(fd.get('kind') ?? '');
		// a point typed as people type them (decimal, DMS, MGRS), read as the incident form reads it
		let centre: { lon?: number; lat?: number } = {};
		if (kind === 'incidents_near' && fd.get('centre') === 'point') {
			const c = parseCoordinates(String(fd.get('point') ?? ''));
			if (!c.ok) return fail(400, { triggerError: `point: ${c.error}` });
			centre = { lon: c.value.lon, lat: c.value.lat };
		}
		const fields: Record<string, unknown> =
			kind === 'area_level'
				? { pcode: String(fd.get('pcode') ?? '').trim(), level: num(fd, 'level') }
				: kind === 'incidents_near'
					? {
							min_incidents: num(fd, 'min_incidents'),
							radius_km: num(fd, 'radius_km'),
							days: num(fd, 'days'),
							...centre
						}
					: { checkpoint_id: String(fd.get('checkpoint_id') ?? '') };
		try {
			await addTrigger(user, String(fd.get('plan_id') ?? ''), { kind, ...fields });
		} catch (e) {
			return failure('triggerError', e);
		}
		return { triggerAdded: true };
	},
	addRoute: async ({ locals, request }) => {
		const user = locals.user;
		if (!user) error(401);
		const fd = await request.formData();
		const line = String(fd.get('route') ?? '');
		let route: unknown;
		try {
			route = line ? JSON.parse(line) : null;
		} catch {
			return fail(400, { routeError: 'route: not a line' });
		}
		try {
			await addRoute(user, String(fd.get('plan_id') ?? ''), {
				name: String(fd.get('name') ?? ''),
				to_site: String(fd.get('to_site') ?? '') || null,
				source: String(fd.get('source') ?? '') || 'drawn',
				route
			});
		} catch (e) {
			return failure('routeError', e);
		}
		return { routeAdded: true };
	},
	removeRoute: async ({ locals, request }) => {
		const user = locals.user;
		if (!user) error(401);
		const fd = await request.formData();
		try {
			await removeRoute(user, String(fd.get('plan_id') ?? ''), String(fd.get('id') ?? ''));
		} catch (e) {
			return failure('routeError', e);
		}
		return { routeRemoved: true };
	},
	removeTrigger: async ({ locals, request }) => {
		const user = locals.user;
		if (!user) error(401);
		const fd = await request.formData();
		try {
			await removeTrigger(user, String(fd.get('plan_id') ?? ''), String(fd.get('id') ?? ''));
		} catch (e) {
			return failure('triggerError', e);
		}
		return { triggerRemoved: true };
	}
};
