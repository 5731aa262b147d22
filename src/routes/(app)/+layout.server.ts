import { redirect } from '@sveltejs/kit';
import { orgName } from '$lib/server/reports/params';
import { myPendingHeadcounts } from '$lib/server/headcounts';
import { documentClassification } from '$lib/server/reports/marking';
import type { LayoutServerLoad } from './$types';

// Every page in (app) needs a signed-in user. A headcount waiting for their answer is shown on
// every screen (issue 11); a failure to read it never stops a page.
export const load: LayoutServerLoad = async ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	const [pending, classification] = await Promise.all([
		myPendingHeadcounts(locals.user).catch(() => []),
		documentClassification(locals.user)
	]);
	// The organisation and the marking of classification markings (map exports, printed pages).
	return { pendingHeadcounts: pending, org: orgName(), classification };
};
