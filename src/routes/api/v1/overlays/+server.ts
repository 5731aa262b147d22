import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { FilterError, oneOf, textField } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { createOverlay, listOverlays, overlayFeatures } from '$lib/server/overlays';
import { OVERLAY_VISIBILITIES, zOverlayStyle } from '$lib/domain/overlays';
import type { RequestHandler } from './$types';

/** The overlays the caller sees: the organisation's and their own private ones. */
export const GET: RequestHandler = apiRoute(async ({ locals }) => {
	const user = requireUser(locals);
	return json(await listOverlays(user), { headers: { 'cache-control': 'private, no-store' } });
});

/**
 * A new overlay from a KML, KMZ, GeoJSON or GPX file (multipart: file, name, visibility, colour,
 * width, label_field). Field staff, analysts and admins; the body cap of every form applies.
 */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin', 'analyst', 'field']);
	let form: FormData;
	try {
		form = await request.formData();
	} catch {
		throw new FilterError('file', 'expected a multipart form with a file');
	}
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0) throw new FilterError('file', 'is required');
	const fields = Object.fromEntries(
		[...form.entries()].filter(([, v]) => typeof v === 'string')
	) as Record<string, string>;
	const name = textField(fields, 'name', { max: 200 }) || file.name.replace(/\.[^.]+$/, '');
	const visibility = oneOf('visibility', fields.visibility || 'private', OVERLAY_VISIBILITIES);
	const style = parseWith(zOverlayStyle, {
		...(fields.colour ? { colour: fields.colour } : {}),
		...(fields.width ? { width: Number(fields.width) } : {}),
		...(fields.label_field ? { label_field: fields.label_field } : {})
	});
	const features = await overlayFeatures(file.name, Buffer.from(await file.arrayBuffer()));
	const overlay = await createOverlay(user, {
		name: name.slice(0, 200),
		visibility,
		style,
		features,
		sourceFile: file.name.slice(0, 300)
	});
	return json(overlay, { status: 201 });
});
