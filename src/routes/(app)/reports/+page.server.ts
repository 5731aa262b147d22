import { fail, redirect } from '@sveltejs/kit';
import { dateRange } from '$lib/server/analysis';
import { areaList, sites } from '$lib/server/map';
import { listReports, saveReport, sitrep } from '$lib/server/reports';
import { sitrepOutlines } from '$lib/server/reports/areas';
import { orgName, sitrepQuery, sitrepSearch } from '$lib/server/reports/params';
import { pageFailure } from '$lib/server/reports/page';
import { FilterError } from '$lib/domain/filters';
import { zReportInput } from '$lib/domain/reports';
import type { Actions, PageServerLoad } from './$types';

type OrgSites = { features: { id: string; properties: { name: string; site_type: string } }[] };

/** The month holding the latest incident the caller can see (or this month): a useful default. */
function defaultPeriod(last: string | null): { from: string; to: string } {
	const d = last ? new Date(`${last}T00:00:00Z`) : new Date();
	const from = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
	const to = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
	return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = locals.user!;
	if (!url.searchParams.get('from') || !url.searchParams.get('to')) {
		const p = defaultPeriod((await dateRange(user)).last_date);
		const q = new URLSearchParams(url.searchParams);
		q.set('from', url.searchParams.get('from') || p.from);
		q.set('to', url.searchParams.get('to') || p.to);
		redirect(303, `/reports?${q}`);
	}
	try {
		const q = sitrepQuery(url.searchParams);
		const s = await sitrep(user, q);
		const [outlines, reports, areas, orgSites] = await Promise.all([
			sitrepOutlines(user, s),
			listReports(user),
			areaList(user, null),
			sites<OrgSites>(user, 'org_sites')
		]);
		return {
			q,
			search: sitrepSearch(q),
			s,
			outlines,
			reports,
			areas: areas.filter((a) => a.level <= 2),
			bases: orgSites.features
				.filter((f) => ['base', 'office'].includes(f.properties.site_type))
				.map((f) => ({ id: String(f.id), name: f.properties.name })),
			org: orgName(),
			canWrite: user.role === 'admin' || user.role === 'analyst'
		};
	} catch (e) {
		pageFailure(e);
	}
};

export const actions: Actions = {
	/** Saves the sitrep on screen as a draft report, with a first empty section to write. */
	save: async ({ locals, request }) => {
		const user = locals.user!;
		const form = await request.formData();
		const parsed = zReportInput.safeParse({
			title: String(form.get('title') ?? ''),
			period_from: String(form.get('from') ?? ''),
			period_to: String(form.get('to') ?? ''),
			area_pcode: String(form.get('area') ?? '') || null,
			base_id: String(form.get('base') ?? '') || null,
			sections: [{ heading: String(form.get('heading') ?? ''), markdown: '' }]
		});
		if (!parsed.success) {
			const i = parsed.error.issues[0];
			return fail(400, { field: String(i.path[0] ?? 'title'), message: i.message });
		}
		let id: string;
		try {
			id = (await saveReport(user, null, parsed.data)).id;
		} catch (e) {
			if (e instanceof FilterError) return fail(400, { field: e.parameter, message: e.message });
			pageFailure(e);
		}
		redirect(303, `/reports/${id}`);
	}
};
