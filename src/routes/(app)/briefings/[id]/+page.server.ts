import { fail } from '@sveltejs/kit';
import { acknowledgeBriefing, briefingAcknowledgements, saveBriefing } from '$lib/server/briefings';
import { briefingPage } from '$lib/server/briefings/page';
import { pageFailure } from '$lib/server/reports/page';
import { uuid } from '$lib/server/api/params';
import { FilterError } from '$lib/domain/filters';
import { BRIEFING_LANGS, zBriefingPatch } from '$lib/domain/briefings';
import { DOCUMENT_STATUSES } from '$lib/domain/documents';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = locals.user!;
	const canWrite = user.role === 'admin' || user.role === 'analyst';
	try {
		const id = uuid('id', params.id);
		const page = await briefingPage(user, id, url, locals.locale);
		return { ...page, canWrite, acks: canWrite ? await briefingAcknowledgements(user, id) : [] };
	} catch (e) {
		pageFailure(e);
	}
};

/** A refused write as the form's message (bad input 400, a stale version 409), marked with the
 *  form it answers so the page shows it beside that form. */
function refused(e: unknown, action: 'save' | 'ack') {
	if (e instanceof FilterError) return fail(400, { action, message: e.message });
	const err = e as { code?: string; message?: string };
	if (err?.code === '23505')
		return fail(409, { action, message: err.message ?? 'changed meanwhile' });
	pageFailure(e);
}

export const actions: Actions = {
	/** Title, status, marking and the texts of every language (blank ones kept blank). */
	save: async ({ locals, params, request }) => {
		const form = await request.formData();
		const texts = (k: string) =>
			Object.fromEntries(BRIEFING_LANGS.map((l) => [l, String(form.get(`${k}_${l}`) ?? '')]));
		const status = String(form.get('status') ?? '');
		const parsed = zBriefingPatch.safeParse({
			title: String(form.get('title') ?? ''),
			status: (DOCUMENT_STATUSES as readonly string[]).includes(status) ? status : undefined,
			classification: String(form.get('classification') ?? '') || undefined,
			narrative: texts('narrative'),
			customs: texts('customs'),
			version: Number(form.get('version'))
		});
		if (!parsed.success) {
			const i = parsed.error.issues[0];
			return fail(400, {
				action: 'save' as const,
				message: `${i.path.map(String).join('.')}: ${i.message}`
			});
		}
		const { version, ...patch } = parsed.data;
		try {
			const p = await saveBriefing(locals.user!, uuid('id', params.id), patch, version);
			return { saved: p.version };
		} catch (e) {
			return refused(e, 'save');
		}
	},
	/** "Read and understood" of the version on screen. */
	ack: async ({ locals, params, request }) => {
		const form = await request.formData();
		try {
			const a = await acknowledgeBriefing(
				locals.user!,
				uuid('id', params.id),
				Number(form.get('version')) || null,
				locals.locale
			);
			return { acknowledged: a.version };
		} catch (e) {
			return refused(e, 'ack');
		}
	}
};
