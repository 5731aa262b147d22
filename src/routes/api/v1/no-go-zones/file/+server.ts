import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { FilterError } from '$lib/server/api/params';
import { polygonFromFile } from '$lib/server/movements/route-file';
import type { RequestHandler } from './$types';

/**
 * A zone's polygon from a KML, KMZ or GeoJSON file (multipart field `file`): answers the first
 * polygon in it, without saving anything (the zone is saved with it afterwards).
 */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	requireUser(locals, ['admin', 'analyst']);
	let form: FormData;
	try {
		form = await request.formData();
	} catch {
		throw new FilterError('file', 'send the file as multipart/form-data in a field named file');
	}
	const file = form.get('file');
	if (!(file instanceof File)) throw new FilterError('file', 'send the file in a field named file');
	const r = await polygonFromFile(file.name, new Uint8Array(await file.arrayBuffer()));
	return json(r, { headers: { 'cache-control': 'private, no-store' } });
});
