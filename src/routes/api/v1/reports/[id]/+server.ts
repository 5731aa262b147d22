import { error, json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, oneOf, uuid } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { getReport, saveReport } from '$lib/server/reports';
import { zReportPatch } from '$lib/domain/reports';
import { PdfUnavailable, pdfResponse, pdfUnavailableResponse, renderPdf } from '$lib/server/pdf';
import type { RequestHandler } from './$types';

/**
 * One saved report (404 when the caller may not read it). Its figures are not stored: the page
 * and ?format=pdf compute them for the reader, under the reader's RLS.
 */
export const GET: RequestHandler = apiRoute(async (event) => {
	const user = requireUser(event.locals);
	const id = uuid('id', event.params.id);
	const format = oneOf(
		'format',
		event.url.searchParams.get('format'),
		['json', 'pdf'] as const,
		'json'
	);
	const r = await getReport(user, id);
	if (!r) error(404, { message: 'no such report, or not visible to you' });
	if (format === 'json') return json(r, { headers: { 'cache-control': 'private, no-store' } });
	try {
		return pdfResponse(await renderPdf(event, `/print/reports/${id}`), `report-${id}.pdf`);
	} catch (e) {
		if (e instanceof PdfUnavailable) return pdfUnavailableResponse(e);
		throw e;
	}
});

/** Change a report (merge): any field of the report, plus `version` it was based on (409 if stale). */
export const PATCH: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const { version, ...patch } = parseWith(zReportPatch, await jsonBody(request));
	return json(await saveReport(user, uuid('id', params.id), patch, version));
});
