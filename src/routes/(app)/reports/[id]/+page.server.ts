import { fail } from '@sveltejs/kit';
import { saveReport } from '$lib/server/reports';
import { pageFailure, reportWithSitrep } from '$lib/server/reports/page';
import { uuid } from '$lib/server/api/params';
import { FilterError } from '$lib/domain/filters';
import { DOCUMENT_STATUSES } from '$lib/domain/documents';
import { zReportPatch } from '$lib/domain/reports';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = locals.user!;
	return {
		...(await reportWithSitrep(user, params.id)),
		canWrite: user.role === 'admin' || user.role === 'analyst'
	};
};

export const actions: Actions = {
	/** Saves title, status, marking and the sections (heading_N / markdown_N, blank ones dropped). */
	save: async ({ locals, params, request }) => {
		const form = await request.formData();
		const sections: { heading: string; markdown: string }[] = [];
		for (let i = 0; i < 50; i++) {
			const heading = form.get(`heading_${i}`);
			const markdown = form.get(`markdown_${i}`);
			if (heading === null && markdown === null) continue;
			if (!String(heading ?? '').trim() && !String(markdown ?? '').trim()) continue;
			sections.push({ heading: String(heading ?? ''), markdown: String(markdown ?? '') });
		}
		const status = String(form.get('status') ?? 'draft');
		const parsed = zReportPatch.safeParse({
			title: String(form.get('title') ?? ''),
			status: (DOCUMENT_STATUSES as readonly string[]).includes(status) ? status : undefined,
			classification: String(form.get('classification') ?? '') || undefined,
			sections,
			version: Number(form.get('version'))
		});
		if (!parsed.success) {
			const i = parsed.error.issues[0];
			return fail(400, { message: `${String(i.path[0] ?? '')}: ${i.message}` });
		}
		const { version, ...patch } = parsed.data;
		try {
			await saveReport(locals.user!, uuid('id', params.id), patch, version);
		} catch (e) {
			if (e instanceof FilterError) return fail(400, { message: e.message });
			const err = e as { code?: string; message?: string };
			if (err?.code === '23505') return fail(409, { message: err.message ?? 'changed meanwhile' });
			pageFailure(e);
		}
		return { saved: true };
	}
};
