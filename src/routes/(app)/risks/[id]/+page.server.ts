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

const failed = (e: unknown) => {
	if (e instanceof FilterError) return fail(400, { message: e.message });
	const err = e as { code?: string; message?: string };
	if (err?.code === '23505') return fail(409, { message: err.message ?? 'changed meanwhile' });
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
			return fail(400, { message: `${String(i.path[0])}: ${i.message}` });
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
