/**
 * Contract test of the Supabase mode: SupabaseAdapter (supabase-js `.rpc()`) must send what
 * PostgREST expects for every function the app calls through the seam, and get back what the
 * embedded adapter gets for the same call as the same user.
 *
 * No Supabase project or PostgREST is reachable here, so the other end is a PostgREST *double*
 * (tests/integration/doubles/postgrest-double.ts) that follows PostgREST's documented behaviour
 * and runs the calls in the same PGlite database the PgliteAdapter uses. What this proves: the
 * requests (path, method, named-argument body, JWT, apikey, schema header), the role and claims
 * PostgREST would run them with, and the error mapping. What it cannot prove: quirks of a real
 * PostgREST or gateway beyond their documentation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, type JWTPayload } from 'jose';
import { SupabaseAdapter } from '../../src/lib/server/db/supabase.ts';
import { PgliteAdapter } from '../../src/lib/server/db/pglite.ts';
import { setDb } from '../../src/lib/server/db/index.ts';
import { userFromSession } from '../../src/lib/server/auth/session.ts';
import {
	DbError,
	type AppRole,
	type Args,
	type Caller,
	type CallerUser
} from '../../src/lib/server/db/types.ts';
import { makeRoles, openEngine, type Engine } from './helpers/db.ts';
import {
	startPostgrestDouble,
	type PostgrestDouble,
	type RecordedRequest
} from './doubles/postgrest-double.ts';

// The Supabase CLI's well-known local JWT secret: nothing here is a real project's secret.
const JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const ROLES: AppRole[] = ['admin', 'analyst', 'field', 'viewer'];

const I = {
	duhokBattle: '00000000-0000-4000-8000-000000000001', // verified, internal
	ninewaBlast: '00000000-0000-4000-8000-000000000002', // verified, public
	unverified: '00000000-0000-4000-8000-000000000003', // reported: analysts and admins only
	restricted: '00000000-0000-4000-8000-000000000004', // verified but restricted
	fieldReport: '00000000-0000-4000-8000-000000000005', // reported by the field user
	lastYear: '00000000-0000-4000-8000-000000000006' // verified, before the date filter
};

let engine: Engine;
let pglite: PgliteAdapter;
let double: PostgrestDouble;
let supa: SupabaseAdapter;
let anonKey: string;
let serviceKey: string;
let users: Record<AppRole, CallerUser>;
/** The same users as Supabase mode sees them: with an access token. */
let signedIn: Record<AppRole, CallerUser>;

function sign(claims: JWTPayload, expiresIn: string | number = '1h'): Promise<string> {
	return new SignJWT(claims)
		.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
		.setIssuedAt()
		.setExpirationTime(expiresIn)
		.sign(new TextEncoder().encode(JWT_SECRET));
}

/** An access token as Supabase Auth issues it. */
const accessToken = (u: CallerUser, expiresIn?: string | number) =>
	sign({ sub: u.id, role: 'authenticated', aud: 'authenticated', email: u.email }, expiresIn);

/** The named arguments as they must travel: undefined ones left out, everything else as is. */
const named = (args: Args) =>
	Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));

/** Calls through the SupabaseAdapter and returns the result with the one request it made. */
async function viaSupabase<T>(
	fn: string,
	args: Args,
	as: Caller
): Promise<{ result: T; req: RecordedRequest }> {
	double.requests.length = 0;
	const result = await supa.rpc<T>(fn, args, as);
	expect(double.requests).toHaveLength(1);
	return { result, req: double.requests[0] };
}

async function failureViaSupabase(
	fn: string,
	args: Args,
	as: Caller
): Promise<{ err: DbError; req: RecordedRequest }> {
	double.requests.length = 0;
	const err = await supa.rpc(fn, args, as).then(
		() => expect.unreachable(`${fn} should have failed`),
		(e: unknown) => e
	);
	expect(err).toBeInstanceOf(DbError);
	expect(double.requests).toHaveLength(1);
	return { err: err as DbError, req: double.requests[0] };
}

function expectRpcRequest(
	req: RecordedRequest,
	fn: string,
	args: Args,
	auth: { bearer: string; apikey: string }
) {
	const [schema, name] = fn.includes('.') ? fn.split('.') : ['public', fn];
	expect(req.method).toBe('POST');
	expect(req.path).toBe(`/rest/v1/rpc/${name}`);
	expect(req.query).toBe('');
	expect(req.headers['content-type']).toMatch(/^application\/json/);
	expect(req.headers.authorization).toBe(`Bearer ${auth.bearer}`);
	expect(req.headers.apikey).toBe(auth.apikey);
	// PostgREST picks the schema of a POST from Content-Profile; absent means its default (public).
	expect(req.headers['content-profile'] ?? 'public').toBe(schema);
	expect(req.headers['accept-profile']).toBeUndefined();
	expect(JSON.parse(req.raw)).toStrictEqual(named(args));
}

beforeAll(async () => {
	engine = await openEngine('pglite', 'migrated');
	pglite = engine.db as PgliteAdapter;
	users = await makeRoles(pglite);
	await pglite.execOwner(fixtureSql(users.field.id));
	// The role PostgREST signs in as on a Supabase project; the migrations set its pre-request
	// only where it exists, so it is made here and the install run again, as on a project. Every
	// call of this file then passes public.api_request_guard, as it would there.
	await pglite.execOwner('create role authenticator noinherit');
	const installed = await pglite.db.query<{ ok: boolean }>(
		'select private.api_request_guard_install() as ok'
	);
	expect(installed.rows[0].ok).toBe(true);

	anonKey = await sign({ role: 'anon', iss: 'supabase' }, '10y');
	serviceKey = await sign({ role: 'service_role', iss: 'supabase' }, '10y');
	double = await startPostgrestDouble({
		db: pglite.db,
		jwtSecret: JWT_SECRET,
		apiKeys: [anonKey, serviceKey]
	});
	supa = SupabaseAdapter.open(double.url, anonKey, serviceKey);

	signedIn = {} as Record<AppRole, CallerUser>;
	for (const r of ROLES) signedIn[r] = { ...users[r], accessToken: await accessToken(users[r]) };
});

afterAll(async () => {
	await double?.close();
	await engine?.close();
});

// Every read the app makes through the seam, with arguments that exercise each way a value
// travels: numbers, dates as strings, arrays, an explicit null, and undefined (left out).
const VIEWPORT = { p_west: 40, p_south: 34, p_east: 46, p_north: 38 };
const READS: [string, Args][] = [
	[
		'incidents_map',
		{
			...VIEWPORT,
			p_from: '2024-01-01',
			p_to: undefined,
			p_types: ['battles', 'explosions_remote_violence'],
			p_area: null,
			p_limit: 100
		}
	],
	['incidents_map', { ...VIEWPORT }],
	[
		'incidents_density',
		{ ...VIEWPORT, p_cell: 0.5, p_from: undefined, p_types: undefined, p_area: ['IQG15'] }
	],
	['incident_get', { p_id: I.duhokBattle }],
	['incident_get', { p_id: I.unverified }],
	['incidents_geojson', { p_area: ['IQG08'], p_limit: 2, p_offset: 0 }],
	['incidents_geojson', { ...VIEWPORT, p_types: [] }],
	['incident_counts', {}],
	['incident_counts', { p_from: '2024-01-01', p_to: '2024-12-31', p_types: ['battles'] }],
	['areas_geojson', { p_level: 1, p_tolerance: 0.01 }],
	['areas_list', { p_level: undefined }],
	['areas_list', { p_level: 2 }],
	['sites_geojson', { p_kind: 'health_facilities' }],
	['sites_geojson', { p_kind: 'idp_camps' }],
	['sites_geojson', { p_kind: 'checkpoints' }],
	['sites_geojson', { p_kind: 'org_sites' }],
	['me', {}],
	['tokens_mine', {}],
	['users_list', {}]
];

describe('reads: the request PostgREST expects, and the result the embedded adapter gives', () => {
	for (const role of ROLES) {
		for (const [fn, args] of READS) {
			it(`${fn} ${JSON.stringify(named(args))} as ${role}`, async () => {
				const { result, req } = await viaSupabase(fn, args, signedIn[role]);
				expectRpcRequest(req, fn, args, { bearer: signedIn[role].accessToken!, apikey: anonKey });
				expect(req.response?.status).toBe(200);
				expect(result).toStrictEqual(await pglite.rpc(fn, args, users[role]));
			});
		}
	}

	it('applies RLS as the JWT says: a viewer sees fewer incidents than an analyst, as in embedded mode', async () => {
		const args = READS[0][1];
		type MapResult = { total: number; points: unknown[] };
		const viewer = (await viaSupabase<MapResult>('incidents_map', args, signedIn.viewer)).result;
		const analyst = (await viaSupabase<MapResult>('incidents_map', args, signedIn.analyst)).result;
		expect(viewer.total).toBe(
			(await pglite.rpc<MapResult>('incidents_map', args, users.viewer)).total
		);
		expect(viewer.total).toBe(2); // the two verified, unrestricted ones of 2024
		expect(analyst.total).toBe(3); // … and the unverified report
		expect(analyst.total).not.toBe(viewer.total);

		expect(
			(await viaSupabase('incident_get', { p_id: I.unverified }, signedIn.viewer)).result
		).toBeNull();
		expect(
			(await viaSupabase<{ id: string }>('incident_get', { p_id: I.unverified }, signedIn.analyst))
				.result.id
		).toBe(I.unverified);
		// A field user reads their own unverified report; a viewer does not.
		expect(
			(await viaSupabase<{ id: string }>('incident_get', { p_id: I.fieldReport }, signedIn.field))
				.result.id
		).toBe(I.fieldReport);
		expect(
			(await viaSupabase('incident_get', { p_id: I.fieldReport }, signedIn.viewer)).result
		).toBeNull();
	});

	it('runs me() as the user of the token, with the whole claims object', async () => {
		const { result } = await viaSupabase<{ id: string; email: string; role: string }>(
			'me',
			{},
			signedIn.field
		);
		expect(result).toMatchObject({ id: users.field.id, email: users.field.email, role: 'field' });
	});
});

describe('writes', () => {
	it('token_create / tokens_mine / token_revoke round-trip, visible to the embedded adapter', async () => {
		const args = { p_name: 'field laptop', p_token_hash: 'f'.repeat(64), p_prefix: 'trt_ffff' };
		const created = await viaSupabase<{ id: string; name: string; prefix: string }>(
			'token_create',
			args,
			signedIn.field
		);
		expectRpcRequest(created.req, 'token_create', args, {
			bearer: signedIn.field.accessToken!,
			apikey: anonKey
		});
		expect(created.result).toMatchObject({ name: 'field laptop', prefix: 'trt_ffff' });

		const mine = await viaSupabase<{ id: string }[]>('tokens_mine', {}, signedIn.field);
		expect(mine.result.map((t) => t.id)).toContain(created.result.id);
		expect(mine.result).toStrictEqual(await pglite.rpc('tokens_mine', {}, users.field));
		// RLS: another user's token is not theirs to revoke, and PostgREST passes the SQLSTATE on.
		const other = await failureViaSupabase(
			'token_revoke',
			{ p_id: created.result.id },
			signedIn.viewer
		);
		expect(other.err.code).toBe('P0002');

		const revoked = await viaSupabase('token_revoke', { p_id: created.result.id }, signedIn.field);
		expectRpcRequest(
			revoked.req,
			'token_revoke',
			{ p_id: created.result.id },
			{ bearer: signedIn.field.accessToken!, apikey: anonKey }
		);
		expect(revoked.result).toStrictEqual({ id: created.result.id, revoked: true });

		const again = await failureViaSupabase(
			'token_revoke',
			{ p_id: created.result.id },
			signedIn.field
		);
		expect(again.err.code).toBe('P0002');
		expect(again.err.httpStatus).toBe(404);
		expect(again.req.response?.status).toBe(500); // PostgREST's table: P0* → 500; our DbError keeps the code
		expect(JSON.parse(again.req.response!.body)).toMatchObject({
			code: 'P0002',
			message: 'token not found or not yours',
			details: null,
			hint: null
		});
	});

	it('user_add by an admin, with a null argument sent as null', async () => {
		const args = {
			p_email: 'new.officer@test.org',
			p_role: 'field',
			p_display_name: null,
			p_password_hash: 'scrypt$test'
		};
		const { result, req } = await viaSupabase<{ id: string; email: string; display_name: string }>(
			'user_add',
			args,
			signedIn.admin
		);
		expectRpcRequest(req, 'user_add', args, {
			bearer: signedIn.admin.accessToken!,
			apikey: anonKey
		});
		expect(JSON.parse(req.raw).p_display_name).toBeNull();
		expect(result).toMatchObject({
			email: 'new.officer@test.org',
			role: 'field',
			display_name: ''
		});
		expect(await pglite.rpc<{ id: string }[]>('users_list', {}, users.admin)).toContainEqual(
			expect.objectContaining({ id: result.id })
		);
	});

	it('user_add by a viewer: 42501 → PostgREST answers 403 (authenticated) → DbError 42501, httpStatus 403', async () => {
		const args = {
			p_email: 'sneaky@test.org',
			p_role: 'admin',
			p_display_name: 'x',
			p_password_hash: 'scrypt$test'
		};
		const { err, req } = await failureViaSupabase('user_add', args, signedIn.viewer);
		expect(req.response?.status).toBe(403);
		expect(err.code).toBe('42501');
		expect(err.httpStatus).toBe(403);
		await expect(pglite.rpc('user_add', args, users.viewer)).rejects.toMatchObject({
			code: '42501'
		});
	});
});

describe('who the call runs as', () => {
	it('anon sends the anon key as both apikey and bearer; PostgREST answers 401 for 42501 as anon', async () => {
		const { err, req } = await failureViaSupabase('areas_list', {}, 'anon');
		expectRpcRequest(req, 'areas_list', {}, { bearer: anonKey, apikey: anonKey });
		expect(req.response?.status).toBe(401);
		expect(err.code).toBe('42501');
		await expect(pglite.rpc('areas_list', {}, 'anon')).rejects.toMatchObject({ code: '42501' });
	});

	it('a user without an access token never reaches the network', async () => {
		double.requests.length = 0;
		await expect(supa.rpc('me', {}, users.viewer)).rejects.toMatchObject({ code: '42501' });
		expect(double.requests).toHaveLength(0);
	});

	it('an expired or forged token is refused by PostgREST (PGRST301, 401)', async () => {
		const expired = {
			...users.viewer,
			accessToken: await accessToken(users.viewer, Math.floor(Date.now() / 1000) - 120)
		};
		const a = await failureViaSupabase('me', {}, expired);
		expect(a.req.response?.status).toBe(401);
		expect(a.err.code).toBe('PGRST301');

		const forged = {
			...users.viewer,
			accessToken: signedIn.viewer.accessToken!.replace(/.{4}$/, 'AAAA')
		};
		const b = await failureViaSupabase('me', {}, forged);
		expect(b.req.response?.status).toBe(401);
		expect(b.err.code).toBe('PGRST301');
	});

	it('a missing required argument is PostgREST PGRST202 (no such function signature)', async () => {
		const { err, req } = await failureViaSupabase(
			'user_add',
			{ p_email: 'x@test.org', p_role: 'field' },
			signedIn.admin
		);
		expect(req.response?.status).toBe(404);
		expect(err.code).toBe('PGRST202');
	});

	it('private.* as the service: service key as apikey and bearer, Content-Profile: private', async () => {
		// A Supabase project exposes `public` only, so PostgREST refuses the schema (PGRST106, 406).
		const { err, req } = await failureViaSupabase('private.account_count', {}, 'service');
		expectRpcRequest(req, 'private.account_count', {}, { bearer: serviceKey, apikey: serviceKey });
		expect(req.headers['content-profile']).toBe('private');
		expect(req.response?.status).toBe(406);
		expect(err.code).toBe('PGRST106');

		// Even with `private` exposed, service_role has no USAGE on it (the migrations grant none):
		// the private.* functions are for the embedded and postgres modes, where the server runs
		// them as the database owner.
		const exposed = await startPostgrestDouble({
			db: pglite.db,
			jwtSecret: JWT_SECRET,
			apiKeys: [anonKey, serviceKey],
			schemas: ['public', 'private']
		});
		try {
			const viaExposed = SupabaseAdapter.open(exposed.url, anonKey, serviceKey);
			await expect(viaExposed.rpc('private.account_count', {}, 'service')).rejects.toMatchObject({
				code: '42501'
			});
			expect(exposed.requests[0].response?.status).toBe(403);
		} finally {
			await exposed.close();
		}
		expect(await pglite.rpc('private.account_count', {}, 'service')).toMatchObject({ admins: 1 });
	});

	it('userFromSession in Supabase mode: Auth /user, then me() with the same token', async () => {
		setDb(supa);
		double.requests.length = 0;
		const token = signedIn.analyst.accessToken!;
		expect(await userFromSession(token)).toStrictEqual({
			id: users.analyst.id,
			email: users.analyst.email,
			role: 'analyst',
			accessToken: token
		});
		const [auth, me] = double.requests;
		expect(auth).toMatchObject({ method: 'GET', path: '/auth/v1/user' });
		expect(auth.headers.authorization).toBe(`Bearer ${token}`);
		expect(auth.headers.apikey).toBe(anonKey);
		expectRpcRequest(me, 'me', {}, { bearer: token, apikey: anonKey });

		const forged = token.replace(/.{4}$/, 'AAAA');
		expect(await userFromSession(forged)).toBeNull();
	});
});

function fixtureSql(fieldUserId: string): string {
	const box = (w: number, s: number, e: number, n: number) =>
		`st_multi(st_makeenvelope(${w}, ${s}, ${e}, ${n}, 4326))`;
	const pt = (lon: number, lat: number) => `st_setsrid(st_point(${lon}, ${lat}), 4326)`;
	return `
	insert into public.areas (pcode, level, name_en, name_ar, parent_pcode, geom) values
	  ('IQG08', 1, 'Duhok', 'دهوك', null, ${box(42.3, 36.6, 44.3, 37.4)}),
	  ('IQG15', 1, 'Ninewa', 'نينوى', null, ${box(41.0, 35.0, 42.3, 36.6)}),
	  ('IQG08Q01', 2, 'Duhok district', null, 'IQG08', ${box(42.8, 36.8, 43.2, 37.1)});
	insert into public.actors (id, name, actor_type) values
	  ('10000000-0000-4000-8000-000000000001', 'Armed group A', 'armed_group'),
	  ('10000000-0000-4000-8000-000000000002', 'State forces B', 'state_forces');
	insert into public.incidents (id, event_date, event_type, geom, fatalities, status, confidentiality,
	                              admin1_pcode, admin2_pcode, actor1_id, actor2_id, reported_by, notes) values
	  ('${I.duhokBattle}', '2024-03-01', 'battles', ${pt(43.0, 36.9)}, 2, 'verified', 'internal', 'IQG08', 'IQG08Q01',
	   '10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002', null, 'clash at a checkpoint'),
	  ('${I.ninewaBlast}', '2024-05-10', 'explosions_remote_violence', ${pt(42.1, 36.2)}, 5, 'verified', 'public', 'IQG15', null,
	   null, null, null, ''),
	  ('${I.unverified}', '2024-06-01', 'battles', ${pt(43.05, 36.95)}, 1, 'reported', 'internal', 'IQG08', 'IQG08Q01',
	   null, null, null, 'unconfirmed'),
	  ('${I.restricted}', '2024-02-02', 'violence_against_civilians', ${pt(42.2, 36.3)}, 0, 'verified', 'restricted', 'IQG15', null,
	   null, null, null, 'names withheld'),
	  ('${I.fieldReport}', '2024-07-07', 'protests', ${pt(42.9, 36.85)}, 0, 'reported', 'internal', 'IQG08', 'IQG08Q01',
	   null, null, '${fieldUserId}', 'seen from the road'),
	  ('${I.lastYear}', '2023-12-31', 'battles', ${pt(42.15, 36.25)}, 0, 'verified', 'internal', 'IQG15', null,
	   null, null, null, '');
	insert into public.health_facilities (name, facility_type, services, geom, admin1_pcode) values
	  ('Azadi Teaching Hospital', 'hospital', '{emergency,surgery}', ${pt(43.0, 36.86)}, 'IQG08');
	insert into public.idp_camps (name, population, status, geom, admin1_pcode) values
	  ('Khanke camp', 14000, 'open', ${pt(42.9, 36.87)}, 'IQG08');
	insert into public.checkpoints (name, controlling_actor_id, status, geom, admin1_pcode) values
	  ('Road 2 checkpoint', '10000000-0000-4000-8000-000000000002', 'restricted', ${pt(42.95, 36.9)}, 'IQG08');
	insert into public.org_sites (name, site_type, geom, admin1_pcode) values
	  ('Duhok office', 'office', ${pt(43.0, 36.87)}, 'IQG08');
	`;
}

describe('only the functions are an API: PostgREST runs public.api_request_guard first', () => {
	/** A request the app never makes: straight to PostgREST, past the functions. */
	const direct = (path: string, bearer: string | null, headers: Record<string, string> = {}) =>
		fetch(`${double.url}/rest/v1${path}`, {
			headers: {
				apikey: anonKey,
				...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
				...headers
			}
		});
	const sensitive = (on: boolean) =>
		pglite.execOwner(
			`update public.incidents set sensitive_location = ${on} where id = '${I.ninewaBlast}'`
		);

	it('refuses a direct read of a table to every role and to anon, naming the path', async () => {
		for (const r of ROLES) {
			const res = await direct('/incidents?select=id,lon,lat', signedIn[r].accessToken!);
			expect(res.status, r).toBe(403);
			const body = (await res.json()) as { code: string; message: string };
			expect(body.code).toBe('42501');
			expect(body.message).toContain('/incidents is not one of them');
		}
		for (const table of ['contacts', 'audit_log', 'movements', 'app_users']) {
			expect((await direct(`/${table}`, signedIn.viewer.accessToken!)).status, table).toBe(403);
		}
		expect((await direct('/incidents', null)).status).toBe(401);
	});

	it("without it a viewer would read a sensitive incident's exact point that the functions fuzz", async () => {
		await sensitive(true);
		try {
			const viaFn = (await supa.rpc<{ lon: number; lat: number }>(
				'incident_get',
				{ p_id: I.ninewaBlast },
				signedIn.viewer
			))!;
			expect([viaFn.lon, viaFn.lat]).not.toEqual([42.1, 36.2]);
			await pglite.execOwner('alter role authenticator reset pgrst.db_pre_request');
			const open = await direct(`/incidents?select=id,lon,lat`, signedIn.viewer.accessToken!);
			expect(open.status).toBe(200);
			const rows = (await open.json()) as { id: string; lon: number; lat: number }[];
			expect(rows.find((x) => x.id === I.ninewaBlast)).toMatchObject({ lon: 42.1, lat: 36.2 });
		} finally {
			await pglite.db.query('select private.api_request_guard_install()');
			await sensitive(false);
		}
		expect(
			(await direct(`/incidents?select=id,lon,lat`, signedIn.viewer.accessToken!)).status
		).toBe(403);
	});

	it('refuses pg_graphql and the functions of another schema, lets the service role through', async () => {
		const guard = (path: string, headers: Record<string, string>, role = 'authenticated') =>
			pglite.db.transaction(async (tx) => {
				await tx.exec(`set local role ${role}`);
				await tx.query(
					`select set_config('request.path', $1, true), set_config('request.headers', $2, true)`,
					[path, JSON.stringify(headers)]
				);
				await tx.query('select public.api_request_guard()');
			});
		await expect(guard('/rpc/graphql', {})).rejects.toMatchObject({ code: '42501' });
		await expect(
			guard('/rpc/incidents_map', { 'content-profile': 'graphql_public' })
		).rejects.toThrow(/schema graphql_public/);
		await expect(guard('/rpc/incidents_map', { 'accept-profile': 'storage' })).rejects.toThrow(
			/schema storage/
		);
		await expect(
			guard('/rpc/incidents_map', { 'content-profile': 'public' })
		).resolves.toBeUndefined();
		await expect(guard('/incidents', {}, 'service_role')).resolves.toBeUndefined();
		// outside PostgREST (our own server's connection) there is no request.path
		await expect(guard('', {})).resolves.toBeUndefined();
	});
});
