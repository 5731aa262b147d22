import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { auditSearch } from '$lib/server/contacts';
import { isUuid } from '$lib/domain/codes';
import type { RequestHandler } from './$types';

/**
 * Admins: the audit log, newest first, filtered like the /admin/audit page (action, table, row,
 * user, q, limit ≤ 1000, offset). Rows about contacts are a contact read and noted as one.
 */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals, ['admin'] as const);
	const p = url.searchParams;
	return json(
		await auditSearch(user, {
			from: null,
			to: null,
			userId: isUuid(p.get('user')) ? p.get('user') : null,
			action: p.get('action')?.slice(0, 40) || null,
			table: p.get('table')?.slice(0, 60) || null,
			rowId: p.get('row')?.slice(0, 80) || null,
			q: p.get('q')?.slice(0, 200) || null,
			limit: Math.min(1000, Math.max(1, Number(p.get('limit') ?? 100) || 100)),
			offset: Math.max(0, Number(p.get('offset') ?? 0) || 0)
		})
	);
});
