import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { intParam, jsonBody } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { listReports, saveReport } from '$lib/server/reports';
import { zReportInput } from '$lib/domain/reports';
import type { RequestHandler } from './$types';

/** Saved reports the caller may read (RLS: viewers only final ones in their scope). */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const limit = intParam(url.searchParams, 'limit', { min: 1, max: 1000, fallback: 200 });
	return json(await listReports(user, limit), {
		headers: { 'cache-control': 'private, no-store' }
	});
});

/** Save a report: {title, period_from, period_to, area_pcode?, base_id?, status?, sections?}. */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const input = parseWith(zReportInput, await jsonBody(request));
	return json(await saveReport(user, null, input), { status: 201 });
});
