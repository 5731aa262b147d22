import { error } from '@sveltejs/kit';
import { FilterError } from '$lib/domain/filters';
import * as incidents from '$lib/server/incidents';
import { signedIn } from '$lib/server/api/respond';
import type { PageServerLoad } from './$types';

// The list reads the same URL filters as the map (from, to, type, area, bbox) plus q, status,
// sort, dir and page; the SQL pages and sorts (incidents_list), RLS decides what is listed.
export const load: PageServerLoad = async ({ locals, url }) => {
	const user = signedIn(locals, url);
	try {
		const r = await incidents.list(user, url.searchParams);
		return {
			total: r.total,
			rows: r.rows,
			query: {
				q: r.query.q,
				sort: r.query.sort,
				dir: r.query.dir,
				page: r.query.page,
				size: r.query.size,
				status: r.query.status
			}
		};
	} catch (e) {
		if (e instanceof FilterError) error(400, { message: e.message, parameter: e.parameter });
		throw e;
	}
};
