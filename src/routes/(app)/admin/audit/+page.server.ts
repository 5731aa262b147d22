import { error, redirect } from '@sveltejs/kit';
import { auditSearch } from '$lib/server/contacts';
import type { PageServerLoad } from './$types';
import { ISO_DATE, UUID } from '$lib/domain/codes';

const PAGE = 100;

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	if (locals.user.role !== 'admin') error(403, { message: 'Only admins can read the audit log.' });
	const p = url.searchParams;
	const f = {
		from: ISO_DATE.test(p.get('from') ?? '') ? p.get('from') : null,
		to: ISO_DATE.test(p.get('to') ?? '') ? p.get('to') : null,
		userId: UUID.test(p.get('user') ?? '') ? p.get('user') : null,
		action: p.get('action')?.slice(0, 40) || null,
		table: p.get('table')?.slice(0, 60) || null,
		rowId: p.get('row')?.slice(0, 80) || null,
		q: p.get('q')?.slice(0, 200) || null,
		offset: Math.max(0, Number(p.get('offset') ?? 0) || 0)
	};
	const r = await auditSearch(locals.user, {
		...f,
		// "to" is a whole day
		to: f.to ? `${f.to}T23:59:59.999Z` : null,
		limit: PAGE
	});
	return { ...r, filters: f, page: PAGE };
};
