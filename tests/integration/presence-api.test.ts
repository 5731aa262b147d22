/**
 * /api/v1/actors/{id}/presence (POST) and …/presence/{presence} (DELETE) against a real database:
 * analysts and admins map presence by P-code or by a drawn polygon; viewers and field staff get
 * 403; bad input gets 400 naming the field, whether this side or the SQL function finds it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { engineNames, makeRoles, openEngine, type Engine } from './helpers/db.ts';
import * as add from '../../src/routes/api/v1/actors/[id]/presence/+server.ts';
import * as remove from '../../src/routes/api/v1/actors/[id]/presence/[presence]/+server.ts';
import * as actor from '../../src/routes/api/v1/actors/[id]/+server.ts';

type Handler = (event: RequestEvent) => Response | Promise<Response>;

async function call(
	handler: unknown,
	as: CallerUser | null,
	params: Record<string, string>,
	body?: unknown,
	method = body === undefined ? 'DELETE' : 'POST'
) {
	const url = new URL('/api/v1/actors/x/presence', 'http://terrain.test');
	const request = new Request(url, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const event = {
		url,
		request,
		params,
		locals: { user: as, authVia: as ? 'token' : null, locale: 'en' },
		route: { id: null }
	} as unknown as RequestEvent;
	const r = await (handler as Handler)(event);
	return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

const TRIBE = '00000000-0000-0000-00a0-000000000003';
const FIXTURE = `
insert into public.areas (pcode, level, name_en, parent_pcode, geom) values
  ('IQG91', 1, 'Northland', null, st_multi(st_makeenvelope(43, 36, 44, 37, 4326)));
insert into public.actors (id, name, actor_type) values ('${TRIBE}', 'Shammar', 'community_leader');
`;
const square = {
	type: 'Polygon',
	coordinates: [
		[
			[43.1, 36.1],
			[43.3, 36.1],
			[43.3, 36.3],
			[43.1, 36.3],
			[43.1, 36.1]
		]
	]
};
const bowTie = {
	type: 'Polygon',
	coordinates: [
		[
			[43.1, 36.1],
			[43.3, 36.3],
			[43.3, 36.1],
			[43.1, 36.3],
			[43.1, 36.1]
		]
	]
};

describe.each(engineNames())('actor presence API on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	const id = { id: TRIBE };

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		setDb(e.db);
		await e.db.execOwner(FIXTURE);
		u = await makeRoles(e.db);
	});
	afterAll(async () => e?.close());

	it('adds a drawn polygon and an area for analysts, and shows both on the actor', async () => {
		const drawn = await call(add.POST, u.analyst, id, {
			geometry: square,
			label: 'grazing land',
			valid_from: '2016-01-01'
		});
		expect(drawn).toMatchObject({
			status: 201,
			body: { drawn: true, label: 'grazing land', valid_from: '2016-01-01' }
		});
		const area = await call(add.POST, u.admin, id, { pcode: 'IQG91' });
		expect(area).toMatchObject({ status: 201, body: { drawn: false, pcode: 'IQG91' } });
		const a = await call(actor.GET, u.viewer, id, undefined, 'GET');
		expect((a.body.presence as { drawn: boolean }[]).map((p) => p.drawn).sort()).toEqual([
			false,
			true
		]);
	});

	it('refuses viewers and field staff with 403, and writes nothing', async () => {
		expect((await call(add.POST, u.viewer, id, { geometry: square })).status).toBe(403);
		expect((await call(add.POST, u.field, id, { pcode: 'IQG91' })).status).toBe(403);
		const a = await call(actor.GET, u.viewer, id, undefined, 'GET');
		expect(a.body.presence).toHaveLength(2);
	});

	it('answers 400 naming the field', async () => {
		expect(
			(await call(add.POST, u.analyst, id, { geometry: square, valid_from: '2016-02-30' })).body
		).toMatchObject({ parameter: 'valid_from' });
		expect((await call(add.POST, u.analyst, id, { geometry: 'square' })).body).toMatchObject({
			parameter: 'geometry'
		});
		expect((await call(add.POST, u.analyst, id, {})).body).toMatchObject({ parameter: 'pcode' });
		expect((await call(add.POST, u.analyst, id, { pcode: 'IQX99' })).body).toMatchObject({
			parameter: 'pcode'
		});
		expect(
			(await call(add.POST, u.analyst, id, { geometry: { type: 'Point', coordinates: [43, 36] } }))
				.body
		).toMatchObject({ parameter: 'geometry' });
		expect(
			(
				await call(add.POST, u.analyst, id, {
					geometry: square,
					valid_from: '2017-01-01',
					valid_to: '2016-01-01'
				})
			).body
		).toMatchObject({ parameter: 'valid_to' });
		expect((await call(add.POST, u.analyst, { id: 'x' }, { geometry: square })).body).toMatchObject(
			{ parameter: 'id' }
		);
	});

	it('stores a self-intersecting polygon made valid (the browser refuses it before it gets here)', async () => {
		const r = await call(add.POST, u.analyst, id, { geometry: bowTie, label: 'bow tie' });
		expect(r.status).toBe(201);
		const [row] = await e.db.queryOwner<{ ok: boolean }>(
			`select st_isvalid(geom) as ok from public.actor_presence where id = $1`,
			[r.body.id]
		);
		expect(row.ok).toBe(true);
		expect(
			(await call(remove.DELETE, u.analyst, { id: TRIBE, presence: String(r.body.id) })).status
		).toBe(200);
	});

	it('removes a presence for analysts only', async () => {
		const a = await call(actor.GET, u.viewer, id, undefined, 'GET');
		const first = (a.body.presence as { id: string }[])[0].id;
		expect((await call(remove.DELETE, u.viewer, { id: TRIBE, presence: first })).status).toBe(403);
		// Another actor's id with this presence: not found, and nothing is removed.
		const wrong = await call(remove.DELETE, u.analyst, {
			id: '11111111-1111-4111-8111-111111111111',
			presence: first
		});
		expect(wrong.status).toBe(404);
		expect(
			(
				(await call(actor.GET, u.viewer, id, undefined, 'GET')).body.presence as { id: string }[]
			).some((p) => p.id === first)
		).toBe(true);
		expect(
			(await call(remove.DELETE, u.analyst, { id: TRIBE, presence: first })).body
		).toMatchObject({ id: first, removed: true });
		expect(
			(await call(remove.DELETE, u.analyst, { id: TRIBE, presence: 'nope' })).body
		).toMatchObject({ parameter: 'presence' });
		const after = await call(actor.GET, u.viewer, id, undefined, 'GET');
		expect(after.body.presence).toHaveLength(1);
	});
});
