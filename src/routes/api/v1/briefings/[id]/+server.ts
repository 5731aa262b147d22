import { error, json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, oneOf, uuid } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { compileBriefing, getBriefing, saveBriefing } from '$lib/server/briefings';
import { BRIEFING_LANGS, zBriefingPatch } from '$lib/domain/briefings';
import { PdfUnavailable, pdfResponse, pdfUnavailableResponse, renderPdf } from '$lib/server/pdf';
import type { RequestHandler } from './$types';

/**
 * One pack compiled for the caller (404 when they may not read it): contacts only as far as
 * need-to-know lets them, in JSON and in the PDF alike (the PDF is the print page loaded with
 * the caller's own credential).
 */
export const GET: RequestHandler = apiRoute(async (event) => {
	const user = requireUser(event.locals);
	const id = uuid('id', event.params.id);
	const q = event.url.searchParams;
	const format = oneOf('format', q.get('format'), ['json', 'pdf'] as const, 'json');
	if (format === 'json') {
		const b = await compileBriefing(user, id);
		if (!b) error(404, { message: 'no such briefing pack, or not visible to you' });
		return json(b, { headers: { 'cache-control': 'private, no-store' } });
	}
	const lang = oneOf('lang', q.get('lang'), BRIEFING_LANGS, event.locals.locale);
	const second = q.get('second') ? oneOf('second', q.get('second'), BRIEFING_LANGS, 'en') : null;
	if (!(await getBriefing(user, id)))
		error(404, { message: 'no such briefing pack, or not visible to you' });
	const search = new URLSearchParams({ lang });
	if (second && second !== lang) search.set('second', second);
	try {
		return pdfResponse(
			await renderPdf(event, `/print/briefings/${id}?${search}`),
			`briefing-${id}.pdf`
		);
	} catch (e) {
		if (e instanceof PdfUnavailable) return pdfUnavailableResponse(e);
		throw e;
	}
});

/** Change a pack (merge; texts per language), plus `version` it was based on (409 if stale). */
export const PATCH: RequestHandler = apiRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const { version, ...patch } = parseWith(zBriefingPatch, await jsonBody(request));
	return json(await saveBriefing(user, uuid('id', params.id), patch, version));
});
