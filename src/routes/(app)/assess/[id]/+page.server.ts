import { error, fail } from '@sveltejs/kit';
import { get, rerun, update } from '$lib/server/assessments';
import { changes } from '$lib/domain/assessments';
import { pageFailure } from '$lib/server/reports/page';
import { uuid } from '$lib/server/api/params';
import { FilterError } from '$lib/domain/filters';
import { isDbError } from '$lib/server/api/respond';
import type { Actions, PageServerLoad } from './$types';

/** One saved assessment as the caller may read it (RLS: viewers only final ones in scope). */
export const load: PageServerLoad = async ({ locals, params }) => {
	const user = locals.user!;
	try {
		const a = await get(user, uuid('id', params.id));
		if (!a) error(404, 'no such assessment, or not visible to you');
		// What the SQL lets this caller change (assessment_update); the SQL decides again on save.
		const mine = a.author_id === user.id;
		const canEdit =
			a.status === 'draft' &&
			(user.role === 'admin' || user.role === 'analyst' || (mine && user.role === 'field'));
		return { a, canEdit };
	} catch (e) {
		pageFailure(e);
	}
};

// A refusal of the SQL ("title: …", 42501) becomes the form's message; anything else is the page's.
const failed = (e: unknown) => {
	if (e instanceof FilterError) return fail(400, { message: e.message, field: e.parameter });
	if (isDbError(e) && e.httpStatus < 500)
		return fail(e.httpStatus, { message: e.message, field: null });
	pageFailure(e);
};

export const actions: Actions = {
	/** Title and notes of a draft. */
	save: async ({ locals, params, request }) => {
		const f = await request.formData();
		const title = String(f.get('title') ?? '').trim();
		if (!title || title.length > 200)
			return fail(400, { message: 'title: must have 1 to 200 characters', field: 'title' });
		try {
			await update(locals.user!, uuid('id', params.id), {
				title,
				notes: String(f.get('notes') ?? '')
			});
		} catch (e) {
			return failed(e);
		}
		return { saved: true };
	},
	finalise: async ({ locals, params }) => {
		try {
			await update(locals.user!, uuid('id', params.id), { status: 'final' });
		} catch (e) {
			return failed(e);
		}
		return { finalised: true };
	},
	/** The same question asked now: what changed against the snapshot (the snapshot is kept). */
	rerun: async ({ locals, params }) => {
		try {
			const r = await rerun(locals.user!, uuid('id', params.id));
			return { changes: changes(r.assessment.snapshot, r.current), ranAt: r.current.as_of };
		} catch (e) {
			return failed(e);
		}
	}
};
