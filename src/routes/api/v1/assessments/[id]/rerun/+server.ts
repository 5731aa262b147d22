import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { uuid } from '$lib/server/api/params';
import { changes } from '$lib/domain/assessments';
import { rerun } from '$lib/server/assessments';
import type { RequestHandler } from './$types';

/** Runs a saved assessment again: {assessment, current, changes}; the snapshot is untouched. */
export const POST: RequestHandler = apiRoute(async ({ locals, params }) => {
	const user = requireUser(locals);
	const r = await rerun(user, uuid('id', params.id));
	return json({ ...r, changes: changes(r.assessment.snapshot, r.current) });
});
