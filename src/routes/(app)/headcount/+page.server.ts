import { error, fail, redirect } from '@sveltejs/kit';
import { isDbError } from '$lib/server/api/respond';
import { FilterError } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { listHeadcounts, startHeadcount, zHeadcountStart } from '$lib/server/headcounts';
import { areaOptions, cardSites } from '$lib/server/contacts';
import type { Actions, PageServerLoad } from './$types';

const staff = (role: string) => role === 'admin' || role === 'analyst';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = locals.user;
	if (!user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	const isStaff = staff(user.role);
	const [headcounts, sites, areas] = await Promise.all([
		listHeadcounts(user),
		isStaff ? cardSites(user) : Promise.resolve([]),
		isStaff ? areaOptions(user) : Promise.resolve([])
	]);
	return {
		headcounts,
		staff: isStaff,
		bases: sites.filter((s) => s.site_type === 'base'),
		areas: areas.filter((a) => a.level <= 2)
	};
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const user = locals.user;
		if (!user || !staff(user.role)) error(403, 'Analysts and admins start headcounts');
		const fd = await request.formData();
		const s = (k: string) => String(fd.get(k) ?? '').trim();
		let id: string;
		try {
			const h = parseWith(zHeadcountStart, {
				scope: s('scope'),
				...(s('scope') === 'base' ? { base_site_id: s('base_site_id') } : {}),
				...(s('scope') === 'area' ? { pcode: s('pcode') } : {}),
				message: s('message'),
				escalate_after_minutes: Number(s('escalate_after_minutes') || 60)
			});
			id = (await startHeadcount(user, h)).id;
		} catch (e) {
			if (e instanceof FilterError) return fail(400, { error: `${e.parameter}: ${e.message}` });
			if (isDbError(e) && e.httpStatus < 500) return fail(e.httpStatus, { error: e.message });
			throw e;
		}
		redirect(303, `/headcount/${id}`);
	}
};
