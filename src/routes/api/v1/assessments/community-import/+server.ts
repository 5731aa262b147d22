import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { FilterError } from '$lib/server/api/params';
import { parseCommunityCsv } from '$lib/server/assessments/community-csv';
import { communityImport } from '$lib/server/assessments';
import type { RequestHandler } from './$types';

const MAX_BYTES = 5_000_000;

/** Community profiles from a CSV keyed by P-code (text/csv body): all rows or none. */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const text = await request.text();
	if (!text.trim()) throw new FilterError('body', 'the file is empty');
	if (text.length > MAX_BYTES) throw new FilterError('body', 'the file is larger than 5 MB');
	const { rows, errors } = parseCommunityCsv(text);
	if (errors.length) {
		const e = errors[0];
		return json(
			{
				message: `row ${e.row}${e.column ? `, column ${e.column}` : ''}: ${e.message}`,
				parameter: 'body',
				errors
			},
			{ status: 400 }
		);
	}
	return json(await communityImport(user, rows), { status: 201 });
});
