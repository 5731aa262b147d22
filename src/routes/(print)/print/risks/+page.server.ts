import { listRisks } from '$lib/server/risks';
import { orgName } from '$lib/server/reports/params';
import { pageFailure } from '$lib/server/reports/page';
import { oneOf, textParam } from '$lib/server/api/params';
import { RISK_SCOPES } from '$lib/domain/risks';
import type { PageServerLoad } from './$types';

/** The register as the caller may read it, narrowed as the API's ?scope=&key= narrows it. */
export const load: PageServerLoad = async ({ locals, url }) => {
	try {
		const raw = url.searchParams.get('scope');
		const scope = raw ? oneOf('scope', raw, RISK_SCOPES) : null;
		return {
			risks: await listRisks(locals.user!, scope, textParam(url.searchParams, 'key')),
			org: orgName(),
			today: new Date().toISOString().slice(0, 10)
		};
	} catch (e) {
		pageFailure(e);
	}
};
