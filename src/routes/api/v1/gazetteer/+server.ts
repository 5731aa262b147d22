import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireUser } from '$lib/server/api/respond';
import { apiRoute } from '$lib/server/api/route';
import { jsonBody } from '$lib/server/api/params';
import { gazetteer, gazetteerInput } from '$lib/server/gazetteer';
import type { RequestHandler } from './$types';

/** ?name=… what a name can mean; ?pcode=… or nothing: the names kept, with their sources. */
export const GET: RequestHandler = apiRoute(async ({ locals, url }) => {
	const user = requireUser(locals);
	const db = await getDb();
	const name = url.searchParams.get('name');
	if (name) return json(await gazetteer.lookup(db, user, name.slice(0, 200)));
	return json(await gazetteer.list(db, user, url.searchParams.get('pcode') ?? undefined));
});

/** Adds a variant or former name of an area (admins). */
export const POST: RequestHandler = apiRoute(async ({ locals, request }) => {
	const user = requireUser(locals, ['admin']);
	const input = gazetteerInput(await jsonBody(request));
	return json(await gazetteer.add(await getDb(), user, input), { status: 201 });
});
