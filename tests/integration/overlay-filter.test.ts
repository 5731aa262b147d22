/**
 * An overlay as the map's place filter (issue 13 item 4), on PGlite and PostgreSQL: a KML of two
 * roads and a zone is uploaded; POST /api/v1/filter-geometries {overlay_id, feature} stores one
 * road on the server, and the counts with that geometry_id and within_km equal an independent
 * ST_DWithin (geography) around the road's coordinates as the test knows them from the file; the
 * zone filters by ST_Intersects; the whole overlay mixes lines and a zone and is refused; someone
 * else's private overlay is "not found" until it is shared with the organisation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { setDb } from '../../src/lib/server/db/index.ts';
import type { AppRole, CallerUser } from '../../src/lib/server/db/types.ts';
import { POST as createOverlay } from '../../src/routes/api/v1/overlays/+server.ts';
import { PATCH as patchOverlay } from '../../src/routes/api/v1/overlays/[id]/+server.ts';
import { POST as saveGeometry } from '../../src/routes/api/v1/filter-geometries/+server.ts';
import { GET as getGeometry } from '../../src/routes/api/v1/filter-geometries/[id]/+server.ts';
import { GET as countsGet } from '../../src/routes/api/v1/incidents/counts/+server.ts';
import { callRoute } from './helpers/route.ts';
import { engineNames, makeRoles, openEngine, sqlAs, type Engine } from './helpers/db.ts';

const KML = readFileSync(join(import.meta.dirname, '../fixtures/overlays/mosul-roads.kml'));
// The fixture's first road and its zone, written out here rather than read back from the server.
const MOSUL_DOHUK = {
	type: 'LineString',
	coordinates: [
		[43.13, 36.34],
		[43.1, 36.42],
		[43.05, 36.55],
		[43.02, 36.7],
		[42.99, 36.86]
	]
};
const OLD_CITY = {
	type: 'Polygon',
	coordinates: [
		[
			[43.115, 36.33],
			[43.15, 36.33],
			[43.15, 36.355],
			[43.115, 36.355],
			[43.115, 36.33]
		]
	]
};

async function upload(as: CallerUser) {
	const form = new FormData();
	form.set('file', new File([new Uint8Array(KML)], 'mosul-roads.kml'));
	form.set('name', 'Mosul roads');
	const url = new URL('http://terrain.test/api/v1/overlays');
	const event = {
		url,
		request: new Request(url, { method: 'POST', body: form }),
		params: {},
		locals: { user: as, locale: 'en' },
		route: { id: null }
	};
	const r = await (createOverlay as (e: RequestEvent) => Promise<Response>)(
		event as unknown as RequestEvent
	);
	return { status: r.status, body: await r.json() };
}

describe.each(engineNames())('an overlay as the place filter on %s', (engineName) => {
	let e: Engine;
	let u: Record<AppRole, CallerUser>;
	let overlayId: string;

	const fromOverlay = (as: CallerUser, body: unknown) =>
		callRoute(saveGeometry, as, '/api/v1/filter-geometries', { body });
	const counts = (as: CallerUser, q: string) =>
		callRoute(countsGet, as, `/api/v1/incidents/counts?${q}`);
	const count = async (as: CallerUser, where: string, params: unknown[]) => {
		const [r] = await sqlAs<{ n: number }>(
			e.db,
			as,
			`select count(*)::int as n from public.incidents i where ${where}`,
			params
		);
		return r.n;
	};

	beforeAll(async () => {
		e = await openEngine(engineName, 'seeded');
		u = await makeRoles(e.db);
		setDb(e.db);
		const r = await upload(u.analyst);
		expect(r.status, JSON.stringify(r.body)).toBe(201);
		expect(r.body.visibility).toBe('private');
		overlayId = r.body.id;
	}, 120_000);
	afterAll(async () => e?.close());

	it('a road of the overlay is a corridor: the count equals ST_DWithin around the road', async () => {
		const saved = await fromOverlay(u.analyst, { overlay_id: overlayId, feature: 1 });
		expect(saved.status, JSON.stringify(saved.body)).toBe(201);
		expect(saved.body).toMatchObject({ kind: 'line', type: 'ST_LineString', points: 5 });
		for (const km of [5, 12]) {
			const r = await counts(u.analyst, `geometry_id=${saved.body.id}&within_km=${km}`);
			expect(r.status, JSON.stringify(r.body)).toBe(200);
			const n = await count(
				u.analyst,
				`st_dwithin(i.geom::geography, st_setsrid(st_geomfromgeojson($1), 4326)::geography, $2)`,
				[JSON.stringify(MOSUL_DOHUK), km * 1000]
			);
			expect(n).toBeGreaterThan(10);
			expect(r.body.total).toBe(n);
		}
		// The same road drawn by hand (or sent as GeoJSON) is the same stored geometry.
		const drawn = await callRoute(saveGeometry, u.analyst, '/api/v1/filter-geometries', {
			body: MOSUL_DOHUK
		});
		expect(drawn.body.id).toBe(saved.body.id);
	});

	it('a zone of the overlay filters inside it (ST_Intersects)', async () => {
		const saved = await fromOverlay(u.analyst, { overlay_id: overlayId, feature: 3 });
		expect(saved.status).toBe(201);
		expect(saved.body.kind).toBe('polygon');
		const r = await counts(u.analyst, `geometry_id=${saved.body.id}`);
		const n = await count(
			u.analyst,
			`st_intersects(i.geom, st_setsrid(st_geomfromgeojson($1), 4326))`,
			[JSON.stringify(OLD_CITY)]
		);
		expect(n).toBeGreaterThan(0);
		expect(r.body.total).toBe(n);
	});

	it('keeps the name the map shows with the stored road, for any reader of the link', async () => {
		const named = await fromOverlay(u.analyst, {
			overlay_id: overlayId,
			feature: 1,
			name: 'Mosul – Dohuk road'
		});
		expect(named.status, JSON.stringify(named.body)).toBe(201);
		expect(named.body.name).toBe('Mosul – Dohuk road');
		// Read back by id, as a colleague's browser does for a shared link (any signed-in user).
		const back = await callRoute(
			getGeometry,
			u.viewer,
			`/api/v1/filter-geometries/${named.body.id}`,
			{
				params: { id: named.body.id }
			}
		);
		expect(back.status, JSON.stringify(back.body)).toBe(200);
		expect(back.body).toMatchObject({ id: named.body.id, name: 'Mosul – Dohuk road' });
		expect(back.body.geometry.coordinates).toEqual(MOSUL_DOHUK.coordinates);
		// The same road unnamed (drawn by hand) is another id, read back with no name: a name never
		// changes under a link that already carries an id.
		const drawn = await callRoute(saveGeometry, u.analyst, '/api/v1/filter-geometries', {
			body: MOSUL_DOHUK
		});
		expect(drawn.body.id).not.toBe(named.body.id);
		const plain = await callRoute(
			getGeometry,
			u.analyst,
			`/api/v1/filter-geometries/${drawn.body.id}`,
			{
				params: { id: drawn.body.id }
			}
		);
		expect(plain.body.name).toBeNull();
		// Same road, same name: the same id again.
		const again = await fromOverlay(u.analyst, {
			overlay_id: overlayId,
			feature: 1,
			name: 'Mosul – Dohuk road'
		});
		expect(again.body.id).toBe(named.body.id);
		expect(
			(await fromOverlay(u.analyst, { overlay_id: overlayId, feature: 1, name: 5 })).status
		).toBe(400);
	});

	it('refuses a whole overlay that mixes lines and a zone, and a feature that does not exist', async () => {
		const mixed = await fromOverlay(u.analyst, { overlay_id: overlayId });
		expect(mixed.status).toBe(400);
		expect(mixed.body.message).toMatch(/mixes/);
		expect((await fromOverlay(u.analyst, { overlay_id: overlayId, feature: 9 })).status).toBe(404);
		expect((await fromOverlay(u.analyst, { overlay_id: 'nope', feature: 1 })).status).toBe(400);
		expect((await fromOverlay(u.analyst, { overlay_id: overlayId, feature: 0 })).status).toBe(400);
	});

	it("someone else's private overlay cannot be used; once shared, it can", async () => {
		for (const who of ['viewer', 'field', 'admin'] as const) {
			const r = await fromOverlay(u[who], { overlay_id: overlayId, feature: 1 });
			expect(r.status, who).toBe(404);
		}
		const shared = await callRoute(patchOverlay, u.analyst, `/api/v1/overlays/${overlayId}`, {
			params: { id: overlayId },
			method: 'PATCH',
			body: { visibility: 'organisation' }
		});
		expect(shared.status).toBe(200);
		const r = await fromOverlay(u.viewer, { overlay_id: overlayId, feature: 2 });
		expect(r.status, JSON.stringify(r.body)).toBe(201);
		expect(r.body.kind).toBe('line');
	});
});
