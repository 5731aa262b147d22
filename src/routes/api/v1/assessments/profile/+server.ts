import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { dateParam, jsonBody, pcodeParam } from '$lib/server/api/params';
import { parseWith } from '$lib/server/api/zod';
import { assessmentQuery } from '$lib/domain/assessments';
import { profile } from '$lib/server/assessments';
import type { RequestHandler } from './$types';

/**
 * The profile of an admin area (?area=PCODE), or of a point buffered by a radius
 * (?lon=&lat=&buffer_km=), as of ?as_of (default: the latest incident the caller sees).
 */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const p = url.searchParams;
	const q: Record<string, unknown> = {};
	const area = pcodeParam(p, 'area');
	if (area) q.area = area;
	if (p.has('lon') || p.has('lat')) {
		q.geometry = { type: 'Point', coordinates: [Number(p.get('lon')), Number(p.get('lat'))] };
	}
	if (p.has('buffer_km')) q.buffer_km = Number(p.get('buffer_km'));
	const asOf = dateParam(p, 'as_of');
	if (asOf) q.as_of = asOf;
	return json(await profile(user, parseWith(assessmentQuery, q)));
});

/** The profile of {geometry} (a Polygon, or a Point/LineString with buffer_km) or {area}. */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals);
	return json(await profile(user, parseWith(assessmentQuery, await jsonBody(request))));
});
