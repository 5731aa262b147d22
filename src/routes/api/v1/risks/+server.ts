import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody, oneOf, textParam } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { listRisks, saveRisk } from '$lib/server/risks';
import { RISK_SCOPES, zRiskInput } from '$lib/domain/risks';
import { pdfAnswer } from '$lib/server/pdf';
import type { RequestHandler } from './$types';

/**
 * The register, highest risk first; ?scope=base|area|programme&key=ID|PCODE|NAME narrows it.
 * ?format=pdf prints it (matrix and table, with the classification marking) for the caller.
 */
export const GET: RequestHandler = apiRoute(async (event) => {
	const { locals, url } = event;
	const user = requireUser(locals);
	const raw = url.searchParams.get('scope');
	const scope = raw ? oneOf('scope', raw, RISK_SCOPES) : null;
	const key = textParam(url.searchParams, 'key');
	if (oneOf('format', url.searchParams.get('format'), ['json', 'pdf'] as const, 'json') === 'pdf') {
		const q = new URLSearchParams();
		if (scope) q.set('scope', scope);
		if (key) q.set('key', key);
		return pdfAnswer(event, `/print/risks${q.size ? `?${q}` : ''}`, 'risk-register.pdf', {
			landscape: true
		});
	}
	return json(await listRisks(user, scope, key), {
		headers: { 'cache-control': 'private, no-store' }
	});
});

/** A new risk (analysts, admins). Likelihood and impact 1–5; an override of the suggestion needs likelihood_reason. */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const input = parseWith(zRiskInput, await jsonBody(request));
	return json(await saveRisk(user, null, input), { status: 201 });
});
