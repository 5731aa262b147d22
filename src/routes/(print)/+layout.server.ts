import { redirect } from '@sveltejs/kit';
import { documentClassification } from '$lib/server/reports/marking';
import type { LayoutServerLoad } from './$types';

// Print pages (what the server's PDF renderer and the browser's print load): no app chrome, a
// signed-in user (session or API token) as everywhere else.
export const load: LayoutServerLoad = async ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	// The classification marking of the documents without their own (sitrep, risk register).
	return { classification: await documentClassification(locals.user) };
};
