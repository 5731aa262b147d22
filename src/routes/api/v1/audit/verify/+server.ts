import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { verifyAuditChain } from '$lib/server/audit';
import type { RequestHandler } from './$types';

/** Admins: the audit log's hash chain, checked end to end (what `terrain audit verify` does). */
export const GET: RequestHandler = apiRoute(async ({ locals }) => {
	const user = requireUser(locals, ['admin'] as const);
	return json(await verifyAuditChain(await getDb(), user));
});
