import { fail, redirect } from '@sveltejs/kit';
import { sites } from '$lib/server/map';
import { listBriefings, saveBriefing } from '$lib/server/briefings';
import { pageFailure } from '$lib/server/reports/page';
import { FilterError } from '$lib/domain/filters';
import { zBriefingInput } from '$lib/domain/briefings';
import type { Actions, PageServerLoad } from './$types';

type OrgSites = { features: { id: string; properties: { name: string; site_type: string } }[] };

export const load: PageServerLoad = async ({ locals }) => {
	const user = locals.user!;
	try {
		const [packs, orgSites] = await Promise.all([
			listBriefings(user),
			sites<OrgSites>(user, 'org_sites')
		]);
		return {
			packs,
			bases: orgSites.features
				.filter((f) => ['base', 'office'].includes(f.properties.site_type))
				.map((f) => ({ id: String(f.id), name: f.properties.name }))
				.sort((a, b) => a.name.localeCompare(b.name)),
			canWrite: user.role === 'admin' || user.role === 'analyst'
		};
	} catch (e) {
		pageFailure(e);
	}
};

export const actions: Actions = {
	/** A new draft pack for a base; the editor opens on it. */
	create: async ({ locals, request }) => {
		const form = await request.formData();
		const parsed = zBriefingInput.safeParse({
			base_id: String(form.get('base_id') ?? ''),
			title: String(form.get('title') ?? '')
		});
		if (!parsed.success) {
			const i = parsed.error.issues[0];
			return fail(400, { message: `${String(i.path[0] ?? '')}: ${i.message}` });
		}
		let id: string;
		try {
			id = (await saveBriefing(locals.user!, null, parsed.data)).id;
		} catch (e) {
			if (e instanceof FilterError) return fail(400, { message: e.message });
			pageFailure(e);
		}
		redirect(303, `/briefings/${id}`);
	}
};
