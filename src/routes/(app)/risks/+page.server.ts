import { fail, redirect } from '@sveltejs/kit';
import { areaList, sites } from '$lib/server/map';
import { listRisks, saveRisk } from '$lib/server/risks';
import { pageFailure } from '$lib/server/reports/page';
import { FilterError } from '$lib/domain/filters';
import { zRiskInput } from '$lib/domain/risks';
import type { Actions, PageServerLoad } from './$types';

type OrgSites = { features: { id: string; properties: { name: string; site_type: string } }[] };

export const load: PageServerLoad = async ({ locals }) => {
	const user = locals.user!;
	const [risks, areas, orgSites] = await Promise.all([
		listRisks(user),
		areaList(user, null),
		sites<OrgSites>(user, 'org_sites')
	]);
	return {
		risks,
		areas: areas.filter((a) => a.level <= 2),
		bases: orgSites.features
			.filter((f) => ['base', 'office'].includes(f.properties.site_type))
			.map((f) => ({ id: String(f.id), name: f.properties.name })),
		canWrite: user.role === 'admin' || user.role === 'analyst',
		today: new Date().toISOString().slice(0, 10)
	};
};

const text = (f: FormData, k: string) => {
	const v = f.get(k);
	return v === null || String(v).trim() === '' ? undefined : String(v);
};
const num = (f: FormData, k: string) => (text(f, k) === undefined ? undefined : Number(text(f, k)));

export const actions: Actions = {
	/** A new risk from the form, top to bottom; the first problem comes back beside its field. */
	create: async ({ locals, request }) => {
		const f = await request.formData();
		const action = text(f, 'mitigation_action');
		const input = {
			title: text(f, 'title') ?? '',
			scope: text(f, 'scope'),
			area_pcode: text(f, 'area_pcode') ?? null,
			base_id: text(f, 'base_id') ?? null,
			programme: text(f, 'programme') ?? null,
			threat_category: text(f, 'threat_category'),
			vulnerability: text(f, 'vulnerability') ?? '',
			likelihood: num(f, 'likelihood'),
			impact: num(f, 'impact'),
			likelihood_reason: text(f, 'likelihood_reason') ?? null,
			review_date: text(f, 'review_date') ?? null,
			as_of: text(f, 'as_of'),
			mitigations: action
				? [
						{
							action,
							owner: text(f, 'mitigation_owner') ?? '',
							due_date: text(f, 'mitigation_due') ?? null
						}
					]
				: []
		};
		const parsed = zRiskInput.safeParse(input);
		if (!parsed.success) {
			const i = parsed.error.issues[0];
			const field = String(i.path[0] ?? 'title');
			return fail(400, { field, message: `${field}: ${i.message}` });
		}
		let id: string;
		try {
			id = (await saveRisk(locals.user!, null, parsed.data)).id;
		} catch (e) {
			if (e instanceof FilterError) return fail(400, { field: e.parameter, message: e.message });
			pageFailure(e);
		}
		redirect(303, `/risks/${id}`);
	}
};
