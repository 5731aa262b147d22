import { apiRoute } from '$lib/server/api/route';
import { requireUser } from '$lib/server/api/respond';
import { oneOf, pcodeParam } from '$lib/server/api/params';
import { exportContacts } from '$lib/server/contacts';

import { SENSITIVITIES } from '$lib/domain/contacts';
import type { RequestHandler } from './$types';

/** Exports contacts as CSV or vCard: analysts and admins only, each export audited. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const p = url.searchParams;
	const format = oneOf('format', p.get('format'), ['csv', 'vcard'] as const);
	const f = await exportContacts(user, format, {
		area: pcodeParam(p, 'area'),
		sensitivity: p.get('sensitivity')
			? oneOf('sensitivity', p.get('sensitivity'), SENSITIVITIES)
			: null
	});
	return new Response(f.body, {
		headers: {
			'content-type': f.type,
			'content-disposition': `attachment; filename="${f.filename}"`,
			'cache-control': 'no-store',
			'x-terrain-count': String(f.count)
		}
	});
});
