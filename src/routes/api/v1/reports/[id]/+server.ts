import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, uuid } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { getReport, saveReport } from '$lib/server/reports';
import { zReportPatch } from '$lib/domain/reports';
import { printableGet } from '$lib/server/pdf/record';
import type { RequestHandler } from './$types';

/**
 * One saved report (404 when the caller may not read it). Its figures are not stored: the page
 * and ?format=pdf compute them for the reader, under the reader's RLS.
 */
export const GET: RequestHandler = printableGet({
	load: getReport,
	missing: 'no such report, or not visible to you',
	print: '/print/reports',
	name: 'report',
	headers: { 'cache-control': 'private, no-store' }
});

/** Change a report (merge): any field of the report, plus `version` it was based on (409 if stale). */
export const PATCH: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const { version, ...patch } = parseWith(zReportPatch, await jsonBody(request));
	return json(await saveReport(user, uuid('id', params.id), patch, version));
});
