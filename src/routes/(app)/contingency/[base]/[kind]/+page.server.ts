import { error, fail, redirect } from '@sveltejs/kit';
import { isDbError } from '$lib/server/api/respond';
import { FilterError } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { UUID } from '$lib/domain/codes';
import {
	contingencyOverview,
	getPlan,
	PLAN_KINDS,
	savePlan,
	zPlanFields,
	type PlanKind
} from '$lib/server/contingency';
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
	return {
		base: { id: base.base_site_id, name: base.base_name },
		kind,
		plan: ref ? await getPlan(user, ref.id) : null,
		canEdit: user.role === 'admin' || user.role === 'analyst'
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
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
	}
};
