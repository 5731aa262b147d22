import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { dateParam, oneOf, pcodeParam } from '$lib/server/api/params';
import { suggestLikelihood } from '$lib/server/risks';
import { THREAT_CATEGORIES } from '$lib/domain/risks';
import type { RequestHandler } from './$types';

/** The likelihood suggested from incident data: ?area=PCODE&category=…[&as_of=YYYY-MM-DD]. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const p = url.searchParams;
	const area = pcodeParam(p, 'area', { required: true });
	const category = oneOf('category', p.get('category'), THREAT_CATEGORIES);
	return json(await suggestLikelihood(user, area, category, dateParam(p, 'as_of')));
});
