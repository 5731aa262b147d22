import { error, fail } from '@sveltejs/kit';
import { acceptRisk, getRisk, saveRisk } from '$lib/server/risks';
import { pageFailure } from '$lib/server/reports/page';
import { uuid } from '$lib/server/api/params';
import { FilterError } from '$lib/domain/filters';
import { zRiskPatch } from '$lib/domain/risks';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = locals.user!;
	try {
		const r = await getRisk(user, uuid('id', params.id));
		if (!r) error(404, 'no such risk');
		return { r, canWrite: user.role === 'admin' || user.role === 'analyst' };
	} catch (e) {
		pageFailure(e);
	}
};

// Every refusal has one shape: which form (edit or not), the field named, the message.
const refused = (status: number, message: string, field: string | null = null, edit = false) =>
	fail(status, { edit, field, message });
const failed = (e: unknown, edit = false) => {
	if (e instanceof FilterError)
		return edit
			? refused(400, e.message.replace(/^[\w.]+: /, ''), e.parameter, true)
			: refused(400, e.message);
	const err = e as { code?: string; message?: string };
	if (err?.code === '23505') return refused(409, err.message ?? 'changed meanwhile', null, edit);
	pageFailure(e);
};

export const actions: Actions = {
	accept: async ({ locals, params }) => {
		try {
			await acceptRisk(locals.user!, uuid('id', params.id));
		} catch (e) {
			return failed(e);
		}
		return { accepted: true };
	},
	/**
	 * The risk itself: title, likelihood, impact (1–5, with the reason when they differ from the
	 * suggestion) and the mitigations (the list sent replaces the old one; a row whose action is
	 * blanked is removed). The SQL keeps the previous version in the history; nothing changed,
	 * nothing written. A bad value comes back naming its field.
	 */
	edit: async ({ locals, params, request }) => {
		const f = await request.formData();
		const s = (k: string) => String(f.get(k) ?? '').trim();
		// A number field left blank or typed as words is "not a number": the scale's own message.
		const n = (k: string) => (s(k) === '' ? Number.NaN : Number(s(k)));
		const rows = Number(s('mitigation_rows')) || 0;
		const mitigations = [];
		for (let i = 0; i < Math.min(rows, 50); i++) {
			if (!s(`m${i}_action`)) continue;
			mitigations.push({
				action: s(`m${i}_action`),
				owner: s(`m${i}_owner`),
				due_date: s(`m${i}_due`) || null,
				done: f.get(`m${i}_done`) === 'on'
			});
		}
		const parsed = zRiskPatch.safeParse({
			title: s('title'),
			likelihood: n('likelihood'),
			impact: n('impact'),
			likelihood_reason: s('likelihood_reason') || null,
			mitigations,
			version: Number(s('version'))
		});
		if (!parsed.success) {
			const i = parsed.error.issues[0];
			const field = String(i.path[0] ?? 'title');
			return refused(400, i.message.replace(/^\w+: /, ''), field, true);
		}
		const { version, ...patch } = parsed.data;
		try {
			await saveRisk(locals.user!, uuid('id', params.id), patch, version);
		} catch (e) {
			return failed(e, true);
		}
		return { edited: true };
	},
	/** Residual likelihood and impact, and the next review date. */
	residual: async ({ locals, params, request }) => {
		const f = await request.formData();
		const n = (k: string) => (String(f.get(k) ?? '') === '' ? null : Number(f.get(k)));
		const parsed = zRiskPatch.safeParse({
			residual_likelihood: n('residual_likelihood'),
			residual_impact: n('residual_impact'),
			review_date: String(f.get('review_date') ?? '') || null,
			version: Number(f.get('version'))
		});
		if (!parsed.success) {
			const i = parsed.error.issues[0];
			return refused(400, `${String(i.path[0])}: ${i.message}`, String(i.path[0]));
		}
		const { version, ...patch } = parsed.data;
		try {
			await saveRisk(locals.user!, uuid('id', params.id), patch, version);
		} catch (e) {
			return failed(e);
		}
		return { saved: true };
	}
};
