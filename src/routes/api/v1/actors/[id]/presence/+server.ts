import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { invalid, jsonBody, uuid } from '$lib/server/api/params';
import { addPresence } from '$lib/server/actors';
import { actorsRoute } from '$lib/server/actors/http';
import type { RequestHandler } from './$types';
import { ISO_DATE } from '$lib/domain/codes';

/**
 * Maps where an actor is present (analysts and admins, as RLS allows): an admin area by `pcode`,
 * or a drawn GeoJSON (Multi)Polygon as `geometry`; with an optional label, notes and dates. The
 * SQL function checks the rest (unknown P-code, both or neither, an invalid polygon, the dates).
 */
export const POST: RequestHandler = actorsRoute(async ({ locals, params, request }) => {
	const user = requireUser(locals, ['admin', 'analyst']);
	const b = (await jsonBody(request)) as Record<string, unknown>;
	const errors: Record<string, string> = {};
	const text = (k: string, max: number) => {
		const v = b[k];
		if (v === undefined || v === null || v === '') return null;
		if (typeof v !== 'string' || v.length > max)
			errors[k] = `must be text of at most ${max} characters`;
		return typeof v === 'string' ? v : null;
	};
	const date = (k: string) => {
		const v = text(k, 10);
		// Round-trip: Date.parse takes 2016-02-30 as 1 March; the database would refuse it.
		const d = v && ISO_DATE.test(v) ? new Date(`${v}T00:00:00Z`) : null;
		if (v && (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v))
			errors[k] = 'expected a date as YYYY-MM-DD';
		return v;
	};
	const pcode = text('pcode', 20);
	const geometry = b.geometry ?? null;
	if (geometry !== null && (typeof geometry !== 'object' || Array.isArray(geometry)))
		errors.geometry = 'expected a GeoJSON Polygon or MultiPolygon';
	const args = {
		p_actor_id: uuid('id', params.id),
		p_pcode: pcode,
		p_geojson: geometry,
		p_label: text('label', 200) ?? '',
		p_notes: text('notes', 5000) ?? '',
		p_valid_from: date('valid_from'),
		p_valid_to: date('valid_to')
	};
	if (Object.keys(errors).length) return invalid(errors);
	return json(await addPresence(user, args), { status: 201 });
});
