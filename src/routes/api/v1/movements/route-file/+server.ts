import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { FilterError } from '$lib/server/api/params';
import { routeFromFile } from '$lib/server/movements/route-file';
import type { RequestHandler } from './$types';

/**
 * A route from a KML, KMZ, GPX or GeoJSON file (multipart field `file`): answers the first line
 * in it as GeoJSON, without saving anything (the plan is saved with it afterwards). A file with no
 * line is refused with a message naming the file and its features.
 */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	requireUser(locals, ['admin', 'analyst', 'field']);
	let form: FormData;
	try {
		form = await request.formData();
	} catch {
		throw new FilterError('file', 'send the file as multipart/form-data in a field named file');
	}
	const file = form.get('file');
	if (!(file instanceof File)) throw new FilterError('file', 'send the file in a field named file');
	const r = await routeFromFile(file.name, new Uint8Array(await file.arrayBuffer()));
	return json(r, { headers: { 'cache-control': 'private, no-store' } });
});
