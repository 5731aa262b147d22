/**
 * The /api/v1 route handlers against a real database, for each role: the handlers themselves are
 * called (parameters → one SQL function as the caller → response), and the SQL functions and
 * policies they rely on are checked directly where the rule lives in SQL (RLS, column
 * privileges, role checks inside functions). HTTP framing (hooks, cookies, origin check) is the
 * e2e suite's job.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { setDb } from '../../src/lib/server/db/index.ts';
import {
	DbError,
	type Adapter,
	type AppRole,
	type CallerUser
} from '../../src/lib/server/db/types.ts';
import { digest } from '../../src/lib/server/auth/tokens.ts';
import { verifyPassword } from '../../src/lib/server/auth/password.ts';
import { openApiDocument } from '../../src/lib/server/api/openapi.ts';
import { engineNames, makeRoles, makeUser, openEngine, type Engine } from './helpers/db.ts';

import * as incidents from '../../src/routes/api/v1/incidents/+server.ts';
import * as incident from '../../src/routes/api/v1/incidents/[id]/+server.ts';
import * as counts from '../../src/routes/api/v1/incidents/counts/+server.ts';
import * as mapIncidents from '../../src/routes/api/v1/map/incidents/+server.ts';
import * as mapDensity from '../../src/routes/api/v1/map/density/+server.ts';
import * as areas from '../../src/routes/api/v1/areas/+server.ts';
import * as areasList from '../../src/routes/api/v1/areas/list/+server.ts';
import * as sites from '../../src/routes/api/v1/sites/[kind]/+server.ts';
import * as me from '../../src/routes/api/v1/me/+server.ts';
import * as tokens from '../../src/routes/api/v1/tokens/+server.ts';
import * as token from '../../src/routes/api/v1/tokens/[id]/+server.ts';
import * as users from '../../src/routes/api/v1/users/+server.ts';
import * as disable from '../../src/routes/api/v1/users/[id]/disable/+server.ts';

type Handler = (event: RequestEvent) => Response | Promise<Response>;
/** Whatever JSON.parse gives: the tests read the body field by field. */
type Parsed = ReturnType<typeof JSON.parse>;

/**
 * The centre of the cell holding (lon, lat) on the Web Mercator grid of 2^k cells a side, rounded
 * to 5 decimals as /map/density gives it: an oracle written here from the formula, not the app's.
 */
function mercatorCellCentre(lon: number, lat: number, k: number): [number, number] {
	const n = 2 ** k;
	const x = Math.floor(((lon + 180) / 360) * n);
	const r = (lat * Math.PI) / 180;
	const y = Math.floor(((1 - Math.log(Math.tan(Math.PI / 4 + r / 2)) / Math.PI) / 2) * n);
	const round = (v: number) => Math.round(v * 1e5) / 1e5;
	return [
		round(((x + 0.5) / n) * 360 - 180),
		round((Math.atan(Math.sinh(Math.PI * (1 - (2 * (y + 0.5)) / n))) * 180) / Math.PI)
	];
}

interface Answer<T = Parsed> {
	status: number;
	type: string | null;
	body: T;
}

/** Calls a route handler as SvelteKit would after hooks.server.ts has resolved the caller. */
async function call<T = Parsed>(
	handler: unknown,
	as: CallerUser | null,
	path: string,
	opts: { params?: Record<string, string>; method?: string; body?: unknown } = {}
): Promise<Answer<T>> {
	const url = new URL(path, 'http://terrain.test');
	const method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
	const request = new Request(url, {
		method,
		headers: { 'content-type': 'application/json' },
		body:
			opts.body === undefined
				? undefined
				: typeof opts.body === 'string'
					? opts.body
					: JSON.stringify(opts.body)
	});
	const event = {
		url,
		request,
		params: opts.params ?? {},
		locals: { user: as, authVia: as ? 'token' : null, locale: 'en' },
		route: { id: null }
	} as unknown as RequestEvent;
	const r = await (handler as Handler)(event);
	return { status: r.status, type: r.headers.get('content-type'), body: await r.json() };
}

/** Runs one query as the authenticated role with a user's claims (what PostgREST would do). */
async function selectAsUser(db: Adapter, user: CallerUser, query: string): Promise<void> {
	const claims = JSON.stringify({ sub: user.id, role: 'authenticated', email: user.email }).replace(
		/'/g,
		"''"
	);
	await db.execOwner(`do $$ begin
		set local role authenticated;
		perform set_config('request.jwt.claims', '${claims}', true);
		perform ${query};
	end $$`);
}

async function dbCode(p: Promise<unknown>): Promise<string | undefined> {
	try {
		await p;
	} catch (e) {
		if (e instanceof DbError) return e.code;
		throw e;
	}
	throw new Error('expected a database error');
}

const AREAS = [
	// pcode, level, name, parent, west, south, east, north
	['IQG01', 1, 'Alpha', null, 42, 36, 44, 37.5],
	['IQG02', 1, 'Beta', null, 44, 34, 46, 36],
	['IQD0101', 2, 'Alpha North', 'IQG01', 42.5, 36.4, 43.5, 37]
] as const;

describe.each(engineNames())('API v1 on %s', (engineName) => {
	let e: Engine;
	let role: Record<AppRole, CallerUser>;
	const ids: Record<string, string> = {};

	beforeAll(async () => {
		e = await openEngine(engineName, 'migrated');
		setDb(e.db);
		role = await makeRoles(e.db);
		for (const [pcode, level, name, parent, w, s, east, n] of AREAS) {
			await e.db.queryOwner(
				`insert into public.areas (pcode, level, name_en, name_ar, parent_pcode, geom)
				 values ($1, $2, $3, $4, $5, st_multi(st_makeenvelope($6, $7, $8, $9, 4326)))`,
				[pcode, level, name, `${name} (ar)`, parent, w, s, east, n]
			);
		}
		const [actor] = await e.db.queryOwner<{ id: string }>(
			`insert into public.actors (name, actor_type) values ('Group X', 'armed_group') returning id`
		);
		// key, date, type, status, confidentiality, reporter, lon, lat, admin1, admin2, fatalities
		const rows: [
			string,
			string,
			string,
			string,
			string,
			string | null,
			number,
			number,
			string | null,
			string | null,
			number
		][] = [
			[
				'A',
				'2020-03-01',
				'battles',
				'verified',
				'internal',
				null,
				43.0,
				36.5,
				'IQG01',
				'IQD0101',
				2
			],
			[
				'B',
				'2021-06-01',
				'protests',
				'verified',
				'public',
				null,
				43.2,
				36.6,
				'IQG01',
				'IQD0101',
				0
			],
			[
				'C',
				'2021-07-01',
				'battles',
				'verified',
				'restricted',
				null,
				43.1,
				36.7,
				'IQG01',
				'IQD0101',
				1
			],
			[
				'D',
				'2022-01-01',
				'riots',
				'reported',
				'internal',
				role.field.id,
				45.0,
				35.0,
				'IQG02',
				null,
				0
			],
			[
				'E',
				'2022-02-01',
				'riots',
				'reported',
				'internal',
				role.analyst.id,
				45.1,
				35.1,
				'IQG02',
				null,
				3
			],
			[
				'F',
				'2019-12-31',
				'explosions_remote_violence',
				'rejected',
				'internal',
				null,
				44.0,
				33.0,
				null,
				null,
				5
			]
		];
		for (const [key, date, type, status, conf, reporter, lon, lat, a1, a2, fat] of rows) {
			const [r] = await e.db.queryOwner<{ id: string }>(
				`insert into public.incidents (event_date, event_type, status, confidentiality, reported_by, geom,
				   admin1_pcode, admin2_pcode, fatalities, actor1_id, location_name, notes)
				 values ($1, $2, $3, $4, $5, st_setsrid(st_point($6, $7), 4326), $8, $9, $10, $11, $12, '')
				 returning id`,
				[
					date,
					type,
					status,
					conf,
					reporter,
					lon,
					lat,
					a1,
					a2,
					fat,
					key === 'A' ? actor.id : null,
					`Place ${key}`
				]
			);
			ids[key] = r.id;
		}
		await e.db.queryOwner(
			`insert into public.checkpoints (name, controlling_actor_id, status, geom) values ('CP 1', $1, 'restricted', st_setsrid(st_point(43, 36.8), 4326))`,
			[actor.id]
		);
	});
	afterAll(async () => e?.close());

	const keysOf = (features: { id: string }[]) =>
		features.map((f) => Object.entries(ids).find(([, v]) => v === f.id)?.[0]);

	describe('every route', () => {
		it('answers 401 JSON without a signed-in user', async () => {
			const cases: [unknown, string, Record<string, string>?][] = [
				[incidents.GET, '/api/v1/incidents'],
				[incident.GET, '/api/v1/incidents/x', { id: '00000000-0000-0000-0000-000000000000' }],
				[counts.GET, '/api/v1/incidents/counts'],
				[mapIncidents.GET, '/api/v1/map/incidents?bbox=40,30,50,40'],
				[mapDensity.GET, '/api/v1/map/density?bbox=40,30,50,40'],
				[areas.GET, '/api/v1/areas?level=1'],
				[areasList.GET, '/api/v1/areas/list'],
				[sites.GET, '/api/v1/sites/checkpoints', { kind: 'checkpoints' }],
				[me.GET, '/api/v1/me'],
				[tokens.GET, '/api/v1/tokens'],
				[users.GET, '/api/v1/users']
			];
			for (const [h, path, params] of cases) {
				const r = await call(h, null, path, { params });
				expect(r.status, path).toBe(401);
				expect(r.type, path).toBe('application/json');
				expect(r.body.message, path).toMatch(/sign in/);
			}
			expect(
				(await call(tokens.POST, null, '/api/v1/tokens', { body: { name: 'x' } })).status
			).toBe(401);
			expect(
				(
					await call(token.DELETE, null, '/api/v1/tokens/x', {
						method: 'DELETE',
						params: { id: ids.A }
					})
				).status
			).toBe(401);
			expect((await call(users.POST, null, '/api/v1/users', { body: {} })).status).toBe(401);
			expect(
				(
					await call(disable.POST, null, '/api/v1/users/x/disable', {
						method: 'POST',
						params: { id: ids.A }
					})
				).status
			).toBe(401);
		});
	});

	describe('GET /incidents', () => {
		it('shows each role what RLS lets it see, newest first, as GeoJSON', async () => {
			const expected: Record<AppRole, string[]> = {
				viewer: ['B', 'A'],
				field: ['D', 'B', 'A'],
				analyst: ['E', 'D', 'C', 'B', 'A', 'F'],
				admin: ['E', 'D', 'C', 'B', 'A', 'F']
			};
			for (const r of Object.keys(expected) as AppRole[]) {
				const a = await call(incidents.GET, role[r], '/api/v1/incidents');
				expect(a.status, r).toBe(200);
				expect(a.type, r).toBe('application/geo+json');
				expect(a.body.type).toBe('FeatureCollection');
				expect(a.body.total, r).toBe(expected[r].length);
				expect(keysOf(a.body.features), r).toEqual(expected[r]);
			}
		});

		it('returns features with a point geometry and the incident properties', async () => {
			const a = await call(
				incidents.GET,
				role.analyst,
				'/api/v1/incidents?type=battles&from=2020-01-01&to=2020-12-31'
			);
			expect(a.body.features).toHaveLength(1);
			const f = a.body.features[0];
			expect(f).toMatchObject({
				type: 'Feature',
				id: ids.A,
				geometry: { type: 'Point', coordinates: [43, 36.5] }
			});
			expect(f.properties).toMatchObject({
				event_type: 'battles',
				admin1_pcode: 'IQG01',
				actor1: 'Group X',
				fatalities: 2,
				location_name: 'Place A'
			});
			expect(f.properties).not.toHaveProperty('geom');
		});

		it('applies type (comma list or repeated), dates, area and bbox filters', async () => {
			const k = async (q: string) =>
				keysOf((await call(incidents.GET, role.analyst, `/api/v1/incidents?${q}`)).body.features);
			expect(await k('type=battles,riots')).toEqual(['E', 'D', 'C', 'A']);
			expect(await k('type=battles&type=protests')).toEqual(['C', 'B', 'A']);
			expect(await k('from=2021-01-01&to=2021-12-31')).toEqual(['C', 'B']);
			expect(await k('area=IQG02')).toEqual(['E', 'D']);
			expect(await k('area=IQD0101&type=protests')).toEqual(['B']);
			expect(await k('bbox=44.5,34.5,45.5,35.5')).toEqual(['E', 'D']);
		});

		it('pages with limit and offset, and the total stays the whole count', async () => {
			const a = await call(incidents.GET, role.analyst, '/api/v1/incidents?limit=2&offset=1');
			expect(a.body).toMatchObject({ total: 6, limit: 2, offset: 1 });
			expect(keysOf(a.body.features)).toEqual(['D', 'C']);
		});

		it('answers 400 naming the wrong parameter', async () => {
			const cases: [string, string][] = [
				['limit=0', 'limit'],
				['limit=10001', 'limit'],
				['limit=abc', 'limit'],
				['offset=-1', 'offset'],
				['from=2020-02-30', 'from'],
				['from=2021-01-01&to=2020-01-01', 'to'],
				['type=picnic', 'type'],
				['area=iq', 'area'],
				['bbox=1,2,3', 'bbox'],
				['bbox=50,30,40,40', 'bbox']
			];
			for (const [q, parameter] of cases) {
				const a = await call(incidents.GET, role.viewer, `/api/v1/incidents?${q}`);
				expect(a.status, q).toBe(400);
				expect(a.type).toBe('application/json');
				expect(a.body.parameter, q).toBe(parameter);
				expect(a.body.message, q).toMatch(new RegExp(`^${parameter}: `));
			}
		});
	});

	describe('GET /incidents/{id}', () => {
		it('returns one incident with names, and 404 when RLS hides it', async () => {
			const a = await call(incident.GET, role.analyst, '/x', { params: { id: ids.E } });
			expect(a.status).toBe(200);
			expect(a.body).toMatchObject({
				id: ids.E,
				event_type: 'riots',
				status: 'reported',
				admin1_name: 'Beta',
				lon: 45.1,
				lat: 35.1
			});

			const withNames = await call(incident.GET, role.viewer, '/x', { params: { id: ids.A } });
			expect(withNames.body).toMatchObject({
				actor1: 'Group X',
				admin1_name: 'Alpha',
				admin2_name: 'Alpha North',
				admin2_name_ar: 'Alpha North (ar)'
			});

			for (const [r, key] of [
				['viewer', 'E'],
				['viewer', 'C'],
				['field', 'E'],
				['field', 'F']
			] as const) {
				const hidden = await call(incident.GET, role[r], '/x', { params: { id: ids[key] } });
				expect(hidden.status, `${r} ${key}`).toBe(404);
			}
			expect((await call(incident.GET, role.field, '/x', { params: { id: ids.D } })).status).toBe(
				200
			);
			expect(
				(
					await call(incident.GET, role.admin, '/x', {
						params: { id: '00000000-0000-4000-8000-000000000000' }
					})
				).status
			).toBe(404);
		});

		it('answers 400 for an id that is not a UUID', async () => {
			const a = await call(incident.GET, role.admin, '/x', { params: { id: 'counts2' } });
			expect(a).toMatchObject({ status: 400, body: { parameter: 'id' } });
		});
	});

	describe('GET /incidents/counts', () => {
		it('counts what the caller may see, by year, governorate and type', async () => {
			const v = await call(counts.GET, role.viewer, '/api/v1/incidents/counts');
			expect(v.status).toBe(200);
			expect(v.body).toEqual({
				total: 2,
				fatalities: 2,
				by_year: { '2020': 1, '2021': 1 },
				by_admin1: { IQG01: 2 },
				by_type: { battles: 1, protests: 1 }
			});
			const a = await call(
				counts.GET,
				role.analyst,
				'/api/v1/incidents/counts?type=riots,explosions_remote_violence'
			);
			expect(a.body).toEqual({
				total: 3,
				fatalities: 8,
				by_year: { '2019': 1, '2022': 2 },
				by_admin1: { IQG02: 2, none: 1 },
				by_type: { riots: 2, explosions_remote_violence: 1 }
			});
		});

		it('refuses a bbox (incident_counts has no viewport) and bad filters', async () => {
			expect(
				(await call(counts.GET, role.analyst, '/api/v1/incidents/counts?bbox=40,30,50,40')).body
					.parameter
			).toBe('bbox');
			expect(
				(await call(counts.GET, role.analyst, '/api/v1/incidents/counts?to=yesterday')).body
					.parameter
			).toBe('to');
		});
	});

	describe('GET /map/incidents', () => {
		it('needs a bbox', async () => {
			const a = await call(mapIncidents.GET, role.analyst, '/api/v1/map/incidents?from=2020-01-01');
			expect(a).toMatchObject({ status: 400, body: { parameter: 'bbox' } });
		});

		it('returns incidents_map as it is: exact counts, points capped by limit', async () => {
			const a = await call(
				mapIncidents.GET,
				role.analyst,
				'/api/v1/map/incidents?bbox=40,30,50,40&limit=2'
			);
			expect(a.status).toBe(200);
			expect(a.type).toBe('application/json');
			expect(a.body).toMatchObject({
				total: 6,
				fatalities: 11,
				by_type: { battles: 2, protests: 1, riots: 2, explosions_remote_violence: 1 }
			});
			// [id, lon, lat, type, fatalities, serious, event_date]: the last two style the points.
			expect(a.body.points).toEqual([
				[ids.E, 45.1, 35.1, 'riots', 3, false, '2022-02-01'],
				[ids.D, 45, 35, 'riots', 0, false, '2022-01-01']
			]);
			const v = await call(
				mapIncidents.GET,
				role.viewer,
				'/api/v1/map/incidents?bbox=42,36,44,37&type=battles'
			);
			expect(v.body).toEqual({
				total: 1,
				fatalities: 2,
				by_type: { battles: 1 },
				points: [[ids.A, 43, 36.5, 'battles', 2, expect.any(Boolean), '2020-03-01']]
			});
		});

		it('with complete=true sends the points only when all of them fit under limit', async () => {
			const over = await call(
				mapIncidents.GET,
				role.analyst,
				'/api/v1/map/incidents?bbox=40,30,50,40&limit=2&complete=true'
			);
			expect(over.status).toBe(200);
			expect(over.body).toMatchObject({ total: 6, fatalities: 11, points: [] });
			expect(over.body.by_type).toEqual({
				battles: 2,
				protests: 1,
				riots: 2,
				explosions_remote_violence: 1
			});
			const fits = await call(
				mapIncidents.GET,
				role.analyst,
				'/api/v1/map/incidents?bbox=40,30,50,40&limit=6&complete=true'
			);
			expect(fits.body.points).toHaveLength(6);
			expect(
				(
					await call(
						mapIncidents.GET,
						role.analyst,
						'/api/v1/map/incidents?bbox=40,30,50,40&complete=yes'
					)
				).body.parameter
			).toBe('complete');
		});

		it('allows up to 50000 points and no more', async () => {
			expect(
				(
					await call(
						mapIncidents.GET,
						role.viewer,
						'/api/v1/map/incidents?bbox=40,30,50,40&limit=50000'
					)
				).status
			).toBe(200);
			expect(
				(
					await call(
						mapIncidents.GET,
						role.viewer,
						'/api/v1/map/incidents?bbox=40,30,50,40&limit=50001'
					)
				).body.parameter
			).toBe('limit');
		});
	});

	describe('GET /map/density', () => {
		it('aggregates the visible incidents on a grid', async () => {
			const a = await call<[number, number, number, number][]>(
				mapDensity.GET,
				role.analyst,
				'/api/v1/map/density?bbox=40,30,50,40&cell=1'
			);
			expect(a.status).toBe(200);
			const cells = [...a.body].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
			// cell=1 is the Web Mercator grid of 2^8 cells a side (1.40625° wide, the nearest to 1°),
			// each cell at its centre: A alone; B and C together; D and E together; F alone.
			const [cA, cB, cC, cD, cE, cF] = [
				[43.0, 36.5],
				[43.2, 36.6],
				[43.1, 36.7],
				[45.0, 35.0],
				[45.1, 35.1],
				[44.0, 33.0]
			].map(([lon, lat]) => mercatorCellCentre(lon, lat, 8));
			expect(cB).toEqual(cC);
			expect(cD).toEqual(cE);
			expect(cA).not.toEqual(cB);
			expect(cells).toEqual([
				[...cA, 1, 2],
				[...cB, 2, 1],
				[...cF, 1, 5],
				[...cD, 2, 3]
			]);
			expect(cells[0].slice(0, 2)).toEqual([42.89063, 36.03133]);
			const v = await call<number[][]>(
				mapDensity.GET,
				role.viewer,
				'/api/v1/map/density?bbox=40,30,50,40&cell=1'
			);
			expect([...v.body].sort((x, y) => x[1] - y[1])).toEqual([
				[...cA, 1, 2],
				[...cB, 1, 0]
			]);
			// Field staff (their own reports, D) are counted by the scan, not the rollup: the same cells.
			const f = await call<number[][]>(
				mapDensity.GET,
				role.field,
				'/api/v1/map/density?bbox=40,30,50,40&cell=1'
			);
			expect([...f.body].sort((x, y) => x[1] - y[1])).toEqual([
				[...cD, 1, 0],
				[...cA, 1, 2],
				[...cB, 1, 0]
			]);
			// A box that holds B alone counts B's whole cell (C too): panning never changes a cell.
			const cut = await call<number[][]>(
				mapDensity.GET,
				role.analyst,
				'/api/v1/map/density?bbox=43.15,36.598,43.25,36.65&cell=1'
			);
			expect(cut.body).toEqual([[...cB, 2, 1]]);
		});

		it('chooses a cell when none is given, and checks the one given', async () => {
			const a = await call<number[][]>(
				mapDensity.GET,
				role.analyst,
				'/api/v1/map/density?bbox=40,30,50,40'
			);
			expect(a.status).toBe(200);
			expect(a.body.reduce((s, c) => s + c[2], 0)).toBe(6);
			for (const q of ['cell=0', 'cell=6', 'cell=x']) {
				expect(
					(await call(mapDensity.GET, role.analyst, `/api/v1/map/density?bbox=40,30,50,40&${q}`))
						.body.parameter,
					q
				).toBe('cell');
			}
			expect(
				(await call(mapDensity.GET, role.analyst, '/api/v1/map/density?cell=1')).body.parameter
			).toBe('bbox');
		});
	});

	describe('areas and sites', () => {
		it('GET /areas returns one level as GeoJSON', async () => {
			const a = await call(areas.GET, role.viewer, '/api/v1/areas?level=1');
			expect(a.status).toBe(200);
			expect(a.type).toBe('application/geo+json');
			expect(a.body.features.map((f: { id: string }) => f.id)).toEqual(['IQG01', 'IQG02']);
			expect(a.body.features[0].properties).toMatchObject({
				pcode: 'IQG01',
				level: 1,
				name_en: 'Alpha',
				name_ar: 'Alpha (ar)',
				parent_pcode: null
			});
			expect(a.body.features[0].geometry.type).toMatch(/Polygon/);
			const d = await call(areas.GET, role.viewer, '/api/v1/areas?level=2&tolerance=0.01');
			expect(d.body.features.map((f: { id: string }) => f.id)).toEqual(['IQD0101']);
		});

		it('GET /areas checks level and tolerance', async () => {
			for (const q of ['', 'level=0', 'level=4', 'level=one']) {
				expect((await call(areas.GET, role.viewer, `/api/v1/areas?${q}`)).body.parameter, q).toBe(
					'level'
				);
			}
			expect(
				(await call(areas.GET, role.viewer, '/api/v1/areas?level=1&tolerance=1')).body.parameter
			).toBe('tolerance');
		});

		it('GET /areas/list lists every level, or one', async () => {
			const all = await call(areasList.GET, role.field, '/api/v1/areas/list');
			expect(all.body.map((a: { pcode: string }) => a.pcode)).toEqual([
				'IQG01',
				'IQG02',
				'IQD0101'
			]);
			const two = await call(areasList.GET, role.field, '/api/v1/areas/list?level=2');
			expect(two.body).toEqual([
				{
					pcode: 'IQD0101',
					level: 2,
					name_en: 'Alpha North',
					name_ar: 'Alpha North (ar)',
					parent_pcode: 'IQG01'
				}
			]);
			expect(
				(await call(areasList.GET, role.field, '/api/v1/areas/list?level=9')).body.parameter
			).toBe('level');
		});

		it('GET /sites/{kind} serves the four registries and nothing else', async () => {
			const cp = await call(sites.GET, role.viewer, '/x', { params: { kind: 'checkpoints' } });
			expect(cp.status).toBe(200);
			expect(cp.type).toBe('application/geo+json');
			expect(cp.body.features).toHaveLength(1);
			expect(cp.body.features[0].properties).toMatchObject({
				name: 'CP 1',
				status: 'restricted',
				controlling_actor: 'Group X'
			});
			for (const kind of ['health_facilities', 'idp_camps', 'org_sites']) {
				const a = await call(sites.GET, role.viewer, '/x', { params: { kind } });
				expect(a.body, kind).toEqual({ type: 'FeatureCollection', features: [] });
			}
			for (const kind of ['contacts', 'incidents', '']) {
				expect(
					(await call(sites.GET, role.viewer, '/x', { params: { kind } })).body.parameter,
					kind
				).toBe('kind');
			}
		});
	});

	describe('me and tokens', () => {
		it('GET /me is the caller', async () => {
			const a = await call(me.GET, role.field, '/api/v1/me');
			expect(a.body).toMatchObject({
				id: role.field.id,
				email: role.field.email,
				role: 'field',
				disabled: false,
				assigned_areas: []
			});
		});

		it('creates a token whose secret is returned once and stored only as a digest', async () => {
			const a = await call(tokens.POST, role.viewer, '/api/v1/tokens', {
				body: { name: '  weekly report  ' }
			});
			expect(a.status).toBe(201);
			expect(a.body).toMatchObject({ name: 'weekly report', prefix: a.body.token.slice(0, 10) });
			expect(a.body.token).toMatch(/^trt_[A-Za-z0-9_-]{43}$/);

			const [row] = await e.db.queryOwner<{ token_hash: string; user_id: string }>(
				'select token_hash, user_id from public.api_tokens where id = $1',
				[a.body.id]
			);
			expect(row).toEqual({ token_hash: digest(a.body.token), user_id: role.viewer.id });
			// It authenticates as its owner.
			const who = await e.db.rpc<{ id: string; token_id: string }>(
				'private.token_user',
				{ p_token_hash: digest(a.body.token) },
				'service'
			);
			expect(who).toMatchObject({ id: role.viewer.id, token_id: a.body.id });

			const list = await call(tokens.GET, role.viewer, '/api/v1/tokens');
			expect(list.body).toHaveLength(1);
			expect(list.body[0]).toMatchObject({
				id: a.body.id,
				name: 'weekly report',
				prefix: a.body.prefix,
				revoked_at: null
			});
			expect(Object.keys(list.body[0]).sort()).toEqual([
				'created_at',
				'expires_at',
				'id',
				'last_used_at',
				'name',
				'prefix',
				'revoked_at'
			]);
			expect(JSON.stringify(list.body)).not.toContain(a.body.token.slice(10));
		});

		it('checks the token name and body', async () => {
			for (const body of [
				{},
				{ name: '' },
				{ name: '   ' },
				{ name: 'x'.repeat(101) },
				{ name: 42 }
			]) {
				const a = await call(tokens.POST, role.viewer, '/api/v1/tokens', { body });
				expect(a.status, JSON.stringify(body)).toBe(400);
				expect(a.body.parameter).toBe('name');
			}
			for (const body of ['not json', '[1]']) {
				expect(
					(await call(tokens.POST, role.viewer, '/api/v1/tokens', { body })).body.parameter
				).toBe('body');
			}
		});

		it('never shows or revokes another user’s token', async () => {
			const mine = await call(tokens.POST, role.field, '/api/v1/tokens', {
				body: { name: 'field script' }
			});
			const other = await call(tokens.GET, role.analyst, '/api/v1/tokens');
			expect(other.body.map((t: { id: string }) => t.id)).not.toContain(mine.body.id);

			const steal = await call(token.DELETE, role.analyst, '/x', {
				method: 'DELETE',
				params: { id: mine.body.id }
			});
			expect(steal).toMatchObject({
				status: 404,
				body: { message: 'token not found or not yours' }
			});
			expect(await dbCode(e.db.rpc('token_revoke', { p_id: mine.body.id }, role.viewer))).toBe(
				'P0002'
			);
			expect(
				await e.db.rpc('private.token_user', { p_token_hash: digest(mine.body.token) }, 'service')
			).not.toBeNull();

			const revoked = await call(token.DELETE, role.field, '/x', {
				method: 'DELETE',
				params: { id: mine.body.id }
			});
			expect(revoked).toMatchObject({ status: 200, body: { id: mine.body.id, revoked: true } });
			expect(
				await e.db.rpc('private.token_user', { p_token_hash: digest(mine.body.token) }, 'service')
			).toBeNull();
			const list = await call(tokens.GET, role.field, '/api/v1/tokens');
			expect(list.body[0].revoked_at).not.toBeNull();
			// Revoking twice finds nothing to revoke.
			expect(
				(
					await call(token.DELETE, role.field, '/x', {
						method: 'DELETE',
						params: { id: mine.body.id }
					})
				).status
			).toBe(404);
			expect(
				(await call(token.DELETE, role.field, '/x', { method: 'DELETE', params: { id: 'nope' } }))
					.body.parameter
			).toBe('id');
		});

		it('keeps token digests out of reach of every user (column privilege)', async () => {
			expect(
				await dbCode(selectAsUser(e.db, role.admin, 'token_hash from public.api_tokens'))
			).toBe('42501');
			expect(await dbCode(selectAsUser(e.db, role.viewer, '* from public.api_tokens'))).toBe(
				'42501'
			);
			await selectAsUser(e.db, role.viewer, 'id, name, prefix from public.api_tokens');
			const [p] = await e.db.queryOwner<{ can: boolean }>(
				`select has_column_privilege('authenticated', 'public.api_tokens', 'token_hash', 'select') as can`
			);
			expect(p.can).toBe(false);
		});
	});

	describe('users (admin)', () => {
		it('lists every user to admins only; others get 403, and RLS alone shows them only themselves', async () => {
			const a = await call(users.GET, role.admin, '/api/v1/users');
			expect(a.status).toBe(200);
			const emails = a.body.map((u: { email: string }) => u.email);
			for (const r of Object.values(role)) expect(emails).toContain(r.email);

			for (const r of ['analyst', 'field', 'viewer'] as const) {
				const denied = await call(users.GET, role[r], '/api/v1/users');
				expect(denied.status, r).toBe(403);
				expect(denied.type).toBe('application/json');
				const own = await e.db.rpc<{ id: string }[]>('users_list', {}, role[r]);
				expect(
					own.map((u) => u.id),
					r
				).toEqual([role[r].id]);
			}
		});

		it('adds a user with a hashed password that must be replaced at first sign-in', async () => {
			const a = await call(users.POST, role.admin, '/api/v1/users', {
				body: {
					email: ' New.Person@Example.org ',
					role: 'field',
					display_name: 'New Person',
					password: 'initial password 1'
				}
			});
			expect(a.status).toBe(201);
			expect(a.body).toMatchObject({
				email: 'new.person@example.org',
				role: 'field',
				display_name: 'New Person',
				disabled: false
			});
			expect(a.body).not.toHaveProperty('password_hash');

			const creds = await e.db.rpc<{ password_hash: string }>(
				'private.account_credentials',
				{ p_email: 'new.person@example.org' },
				'service'
			);
			expect(creds.password_hash).toMatch(/^scrypt\$/);
			expect(await verifyPassword('initial password 1', creds.password_hash)).toBe(true);
			const [c] = await e.db.queryOwner<{ must_change: boolean }>(
				'select must_change from private.credentials where user_id = $1',
				[a.body.id]
			);
			expect(c.must_change).toBe(true);

			const again = await call(users.POST, role.admin, '/api/v1/users', {
				body: { email: 'new.person@example.org', role: 'viewer', password: 'another password' }
			});
			expect(again.status).toBe(409);
		});

		it('validates the new user, naming the field', async () => {
			const good = {
				email: 'x@example.org',
				role: 'viewer',
				display_name: '',
				password: 'long enough pass'
			};
			const cases: [Record<string, unknown>, string][] = [
				[{ ...good, email: 'not-an-email' }, 'email'],
				[{ ...good, role: 'superuser' }, 'role'],
				[{ ...good, password: 'short' }, 'password'],
				[{ ...good, display_name: 'n'.repeat(201) }, 'display_name']
			];
			for (const [body, parameter] of cases) {
				const a = await call(users.POST, role.admin, '/api/v1/users', { body });
				expect(a.status, parameter).toBe(400);
				expect(a.body.parameter).toBe(parameter);
			}
		});

		it('refuses non-admins in the route and in SQL', async () => {
			const body = { email: 'sneaky@example.org', role: 'admin', password: 'long enough pass' };
			expect((await call(users.POST, role.analyst, '/api/v1/users', { body })).status).toBe(403);
			expect(
				await dbCode(
					e.db.rpc(
						'user_add',
						{
							p_email: 'sneaky@example.org',
							p_role: 'admin',
							p_display_name: '',
							p_password_hash: 'x'
						},
						role.analyst
					)
				)
			).toBe('42501');
			expect(
				await dbCode(e.db.rpc('user_disable', { p_user_id: role.viewer.id }, role.analyst))
			).toBe('42501');
			expect(
				(
					await call(disable.POST, role.analyst, '/x', {
						params: { id: role.viewer.id },
						method: 'POST'
					})
				).status
			).toBe(403);
		});

		it('disables a user, ending their sessions and tokens', async () => {
			const victim = await makeUser(e.db, 'field');
			const t = await call(tokens.POST, victim, '/api/v1/tokens', { body: { name: 'laptop' } });
			const session = 'trs_test_session_' + victim.id;
			await e.db.rpc(
				'private.session_create',
				{
					p_user_id: victim.id,
					p_token_hash: digest(session),
					p_ttl_seconds: 3600,
					p_user_agent: 'test'
				},
				'service'
			);
			expect(
				await e.db.rpc('private.token_user', { p_token_hash: digest(t.body.token) }, 'service')
			).not.toBeNull();
			expect(
				await e.db.rpc('private.session_user', { p_token_hash: digest(session) }, 'service')
			).not.toBeNull();

			const a = await call(disable.POST, role.admin, '/x', {
				params: { id: victim.id },
				method: 'POST'
			});
			expect(a).toMatchObject({ status: 200, body: { id: victim.id, disabled: true } });
			expect(
				await e.db.rpc('private.token_user', { p_token_hash: digest(t.body.token) }, 'service')
			).toBeNull();
			expect(
				await e.db.rpc('private.session_user', { p_token_hash: digest(session) }, 'service')
			).toBeNull();
			const [rev] = await e.db.queryOwner<{ n: number }>(
				'select count(*)::int as n from public.api_tokens where user_id = $1 and revoked_at is null',
				[victim.id]
			);
			expect(rev.n).toBe(0);
		});

		it('will not disable yourself, an unknown user or a malformed id', async () => {
			expect(
				(
					await call(disable.POST, role.admin, '/x', {
						params: { id: role.admin.id },
						method: 'POST'
					})
				).status
			).toBe(400);
			expect(
				(
					await call(disable.POST, role.admin, '/x', {
						params: { id: '00000000-0000-4000-8000-000000000000' },
						method: 'POST'
					})
				).status
			).toBe(404);
			expect(
				(await call(disable.POST, role.admin, '/x', { params: { id: 'abc' }, method: 'POST' })).body
					.parameter
			).toBe('id');
		});
	});
});

describe('the OpenAPI document', () => {
	const doc = openApiDocument('http://terrain.test');
	const routesDir = join(import.meta.dirname, '..', '..', 'src', 'routes', 'api', 'v1');

	function routeFiles(dir: string): string[] {
		return readdirSync(dir).flatMap((name) => {
			const p = join(dir, name);
			if (statSync(p).isDirectory()) return routeFiles(p);
			return name === '+server.ts' ? [relative(routesDir, dir)] : [];
		});
	}

	it('describes every route folder under /api/v1 (and nothing that is not there)', () => {
		const routes = routeFiles(routesDir)
			.filter((r) => r !== 'openapi.json' && r !== '[...rest]')
			.map(
				(r) =>
					'/' +
					r
						.split('/')
						.map((s) => s.replace(/\[(\w+)\]/g, '{$1}'))
						.join('/')
			)
			.sort();
		expect(Object.keys(doc.paths).sort()).toEqual(routes);
	});

	it('gives every operation its auth, error answers and parameters', () => {
		expect(doc.openapi).toBe('3.1.0');
		expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
			type: 'http',
			scheme: 'bearer'
		});
		expect(doc.components.securitySchemes.cookieAuth).toMatchObject({
			type: 'apiKey',
			in: 'cookie'
		});
		for (const [path, ops] of Object.entries(doc.paths)) {
			for (const [method, op] of Object.entries(ops)) {
				const codes = Object.keys(op!.responses);
				expect(codes, `${method} ${path}`).toContain('401');
				expect(
					codes.some((c) => c === '200' || c === '201'),
					`${method} ${path}`
				).toBe(true);
				for (const name of path.match(/\{(\w+)\}/g) ?? []) {
					expect(
						op!.parameters?.some((p) => 'name' in p && p.in === 'path' && `{${p.name}}` === name),
						`${method} ${path} ${name}`
					).toBe(true);
				}
			}
		}
		expect(Object.keys(doc.paths['/users']!.get!.responses)).toContain('403');
		expect(Object.keys(doc.paths['/incidents/{id}']!.get!.responses)).toEqual(
			expect.arrayContaining(['400', '404'])
		);
	});

	it('resolves every $ref it uses', () => {
		const text = JSON.stringify(doc);
		for (const [, ref] of text.matchAll(/"\$ref":"#\/([^"]+)"/g)) {
			const target = ref
				.split('/')
				.reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], doc);
			expect(target, ref).toBeDefined();
		}
	});
});
