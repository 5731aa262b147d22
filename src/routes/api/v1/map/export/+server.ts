import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { textParam } from '$lib/server/api/params';
import { mapExportHtml, mapImageType } from '$lib/server/map/export';
import { documentClassification } from '$lib/server/reports/marking';
import {
	PdfUnavailable,
	pdfResponse,
	pdfUnavailableResponse,
	renderHtmlPdf
} from '$lib/server/pdf';
import type { RequestHandler } from './$types';

/**
 * The current map view as a PDF: the browser composes the view (WebGL lives only there) into a
 * PNG or JPEG with its legend, scale, north arrow, date, filters, sources and marking, and posts
 * it here (within the API's body limit); the server lays it out on A4 landscape with the marking
 * and title as text. 503 in one line where Chromium is not installed.
 */
export const POST: RequestHandler = apiRoute(async ({ locals, request, url }) => {
	const user = requireUser(locals);
	const bytes = new Uint8Array(await request.arrayBuffer());
	const type = mapImageType(request.headers.get('content-type'), bytes);
	const title = textParam(url.searchParams, 'title', { max: 200 }) || 'Map';
	const made = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
	const html = mapExportHtml({
		image: bytes,
		type,
		title,
		// the page sends the marking it showed; without one, the admin's setting, then the standard
		classification:
			textParam(url.searchParams, 'classification', { max: 100 }) ||
			(await documentClassification(user)) ||
			'Restricted',
		lang: locals.locale,
		dir: locals.locale === 'ar' || locals.locale === 'ku' ? 'rtl' : 'ltr',
		made
	});
	try {
		return pdfResponse(await renderHtmlPdf(html, { landscape: true }), 'terrain-map.pdf');
	} catch (e) {
		if (e instanceof PdfUnavailable) return pdfUnavailableResponse(e);
		throw e;
	}
});
