import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { oneOf } from '$lib/server/api/params';
import { sitrep } from '$lib/server/reports';
import { sitrepQuery, sitrepSearch } from '$lib/server/reports/params';
import { PdfUnavailable, pdfResponse, pdfUnavailableResponse, renderPdf } from '$lib/server/pdf';
import type { RequestHandler } from './$types';

/**
 * The sitrep of a period: ?from=YYYY-MM-DD&to=YYYY-MM-DD[&area=PCODE|&base=SITE_ID]
 * [&format=json|pdf]. JSON by default; pdf renders /print/sitrep with the caller's credential.
 */
export const GET: RequestHandler = apiRoute(async (event) => {
	const user = requireUser(event.locals);
	const q = sitrepQuery(event.url.searchParams);
	const format = oneOf(
		'format',
		event.url.searchParams.get('format'),
		['json', 'pdf'] as const,
		'json'
	);
	// Computed first in both cases: a bad area or base is a 400, not a PDF of an error page.
	const s = await sitrep(user, q);
	if (format === 'json') return json(s, { headers: { 'cache-control': 'private, no-store' } });
	try {
		const pdf = await renderPdf(event, `/print/sitrep?${sitrepSearch(q)}`);
		return pdfResponse(pdf, `sitrep-${q.from}-${q.to}.pdf`);
	} catch (e) {
		if (e instanceof PdfUnavailable) return pdfUnavailableResponse(e);
		throw e;
	}
});
