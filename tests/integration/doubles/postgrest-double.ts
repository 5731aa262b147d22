/**
 * PostgREST double — a test double, NOT PostgREST.
 *
 * It stands in for a Supabase project's HTTP front (the API gateway, PostgREST's `/rpc` endpoint
 * and, for `GET /auth/v1/user`, Supabase Auth) in the contract test of SupabaseAdapter, because no
 * Supabase project and no PostgREST binary is reachable here (nor in CI). It implements only what
 * the adapter uses, as PostgREST documents it (docs.postgrest.org: Functions as RPC, Schemas,
 * Authentication, Transactions, Errors), and runs each call in PGlite, so the SQL, the roles and
 * the RLS policies are the real ones:
 *
 * - the gateway: an `apikey` header naming a known key is required (401 otherwise);
 * - JWT: `Authorization: Bearer` verified with the JWT secret (HS256, exp checked) → PGRST301/401
 *   when invalid; no Authorization → the anonymous role; the `role` claim → `set local role`;
 *   the whole claims object → `request.jwt.claims`;
 * - `POST /rest/v1/rpc/:fn` with a JSON object of named arguments; the schema comes from
 *   `Content-Profile` (default: the first exposed schema) and must be exposed (PGRST106/406);
 *   the function is resolved by schema, name and argument names (PGRST202/404); arguments are
 *   typed through json_to_record like PostgREST's own query; STABLE/IMMUTABLE functions run in a
 *   READ ONLY transaction (PostgREST's access mode for POST);
 * - results: a scalar function's value as JSON (jsonb as is), a set as a JSON array, void → 204
 *   (older PostgREST versions answered `null`; supabase-js reads both as null);
 * - `GET /rest/v1/:table?select=a,b` (plain column names, or none for every column): the rows
 *   the role may read, as a JSON array, in a READ ONLY transaction; the schema comes from
 *   `Accept-Profile`. Only so that a test can show what a direct table read would give;
 * - PostgREST's in-database configuration (db-config): `pgrst.db_pre_request` set on the role it
 *   signs in as (Supabase's `authenticator`) names a function run in each request's transaction
 *   after the role and the request's GUCs are set (`request.path` as PostgREST sees it, without
 *   the gateway's `/rest/v1`) and before the request's own query; an error there is the answer;
 * - errors: `{code, message, details, hint}` with the documented SQLSTATE → HTTP status table.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { jwtVerify, type JWTPayload } from 'jose';

export interface PostgrestDoubleOptions {
	db: PGlite;
	/** PostgREST's jwt-secret (a Supabase project's JWT secret). */
	jwtSecret: string;
	/** The keys the gateway accepts in the `apikey` header (the project's anon and service keys). */
	apiKeys: string[];
	/** PostgREST's db-schemas; the first is the default. A Supabase project exposes `public`. */
	schemas?: string[];
	/** PostgREST's db-anon-role. */
	anonRole?: string;
}

export interface RecordedRequest {
	method: string;
	/** The path without the query string. */
	path: string;
	query: string;
	/** Lower-cased names, as node:http gives them. */
	headers: Record<string, string>;
	/** The body as sent. */
	raw: string;
	/** The body parsed as JSON, or undefined when it is empty or not JSON. */
	body: unknown;
	/** What the double answered. */
	response?: { status: number; body: string };
}

export interface PostgrestDouble {
	/** What SUPABASE_URL would be. */
	url: string;
	/** Every request received, in order, including the refused ones. */
	requests: RecordedRequest[];
	close(): Promise<void>;
}

interface PgError {
	code?: string;
	message?: string;
	detail?: string;
	hint?: string;
}

class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: Record<string, unknown>,
		readonly headers: Record<string, string> = {}
	) {
		super(String(body.message ?? body.msg));
	}
}

/** PostgREST's error object; details and hint are null when absent. */
const pgrst = (
	code: string,
	message: string,
	details: string | null = null,
	hint: string | null = null
) => ({ code, message, details, hint });

const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

// docs.postgrest.org › Errors › HTTP Status Codes (exact codes first, then classes; "other" → 400).
const EXACT_STATUS: Record<string, number> = {
	'23503': 409,
	'23505': 409,
	'25006': 405,
	'53400': 500,
	P0001: 400,
	'42883': 404,
	'42P01': 404,
	'42P17': 500
};
const CLASS_STATUS: Record<string, number> = {
	'08': 503,
	'09': 500,
	'0L': 403,
	'0P': 403,
	'25': 500,
	'28': 403,
	'2D': 500,
	'38': 500,
	'39': 500,
	'3B': 500,
	'40': 500,
	'53': 503,
	'54': 500,
	'55': 500,
	'57': 500,
	'58': 500,
	F0: 500,
	HV: 500,
	P0: 500,
	XX: 500
};

export function statusForSqlstate(code: string, anonymous: boolean): number {
	if (code === '42501') return anonymous ? 401 : 403;
	if (/^PT\d{3}$/.test(code)) return Number(code.slice(2));
	return EXACT_STATUS[code] ?? CLASS_STATUS[code.slice(0, 2)] ?? 400;
}

interface Fn {
	volatility: 'v' | 's' | 'i';
	names: string[];
	types: string[];
	returnsSet: boolean;
	returnsVoid: boolean;
}

export async function startPostgrestDouble(opts: PostgrestDoubleOptions): Promise<PostgrestDouble> {
	const schemas = opts.schemas ?? ['public'];
	const anonRole = opts.anonRole ?? 'anon';
	const secret = new TextEncoder().encode(opts.jwtSecret);
	const requests: RecordedRequest[] = [];

	async function claimsOf(headers: Record<string, string>): Promise<JWTPayload> {
		const auth = headers.authorization;
		if (!auth) return {};
		const m = /^Bearer (.+)$/i.exec(auth);
		if (!m) throw new HttpError(401, pgrst('PGRST301', 'Expected "Bearer" authentication scheme'));
		try {
			// PostgREST allows 30 s of clock skew on exp/nbf/iat.
			return (await jwtVerify(m[1], secret, { algorithms: ['HS256'], clockTolerance: 30 })).payload;
		} catch (e) {
			const message =
				(e as { code?: string }).code === 'ERR_JWT_EXPIRED'
					? 'JWT expired'
					: `JWT invalid: ${(e as Error).message}`;
			throw new HttpError(401, pgrst('PGRST301', message), {
				'www-authenticate': `Bearer error="invalid_token", error_description="${message}"`
			});
		}
	}

	/** The function the schema cache would pick: every required argument given, no unknown one. */
	async function resolve(schema: string, name: string, keys: string[]): Promise<Fn> {
		const { rows } = await opts.db.query<{
			volatility: Fn['volatility'];
			names: string[] | null;
			modes: string[] | null;
			types: string[];
			nargs: number;
			ndefaults: number;
			returns_set: boolean;
			returns: string;
		}>(
			`select p.provolatile as volatility, p.proargnames as names, p.proargmodes::text[] as modes,
			        array(select format_type(t, null) from unnest(p.proargtypes::oid[]) with ordinality u(t, i) order by i) as types,
			        p.pronargs as nargs, p.pronargdefaults as ndefaults, p.proretset as returns_set,
			        format_type(p.prorettype, null) as returns
			   from pg_proc p join pg_namespace n on n.oid = p.pronamespace
			  where n.nspname = $1 and p.proname = $2 and p.prokind = 'f'`,
			[schema, name]
		);
		for (const r of rows) {
			// proargnames lists every argument; the input ones are those with mode i/b/v (or all).
			const names = (r.names ?? []).filter(
				(_, i) => !r.modes || ['i', 'b', 'v'].includes(r.modes[i])
			);
			if (names.length !== r.nargs || names.some((n) => !n)) continue;
			const required = r.nargs - r.ndefaults;
			if (
				names.slice(0, required).every((n) => keys.includes(n)) &&
				keys.every((k) => names.includes(k))
			) {
				return {
					volatility: r.volatility,
					names,
					types: r.types,
					returnsSet: r.returns_set,
					returnsVoid: r.returns === 'void'
				};
			}
		}
		throw new HttpError(
			404,
			pgrst(
				'PGRST202',
				`Could not find the function ${schema}.${name}(${[...keys].sort().join(', ')}) in the schema cache`,
				null,
				'If a new function was created in the database with this name and parameters, try reloading the schema cache.'
			)
		);
	}

	async function rpc(
		req: RecordedRequest,
		fnName: string
	): Promise<{ status: number; body: string }> {
		if (req.method !== 'POST')
			throw new HttpError(
				501,
				pgrst('DOUBLE', `the double implements POST /rpc only, not ${req.method}`)
			);
		const schema = req.headers['content-profile'] ?? schemas[0];
		if (!schemas.includes(schema)) {
			throw new HttpError(
				406,
				pgrst(
					'PGRST106',
					`Invalid schema: ${schema}`,
					null,
					`Only the following schemas are exposed: ${schemas.join(', ')}`
				)
			);
		}
		if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
			throw new HttpError(
				415,
				pgrst('PGRST107', `Content-Type not acceptable: ${req.headers['content-type'] ?? ''}`)
			);
		}
		const args = req.raw === '' ? {} : req.body;
		if (args === null || typeof args !== 'object' || Array.isArray(args)) {
			throw new HttpError(400, pgrst('PGRST102', 'Empty or invalid json'));
		}
		const claims = await claimsOf(req.headers);
		const role = typeof claims.role === 'string' ? claims.role : anonRole;
		const keys = Object.keys(args);
		const fn = await resolve(schema, fnName, keys);

		// Like PostgREST's own query: the body becomes a typed record, then a call with named arguments.
		const present = fn.names
			.map((n, i) => ({ n, t: fn.types[i] }))
			.filter(({ n }) => keys.includes(n));
		const call = `${ident(schema)}.${ident(fnName)}(${present.map(({ n }) => `${ident(n)} := _args.${ident(n)}`).join(', ')})`;
		const record = present.length
			? `json_to_record($1::json) as _args(${present.map(({ n, t }) => `${ident(n)} ${t}`).join(', ')})`
			: '';
		const sql = fn.returnsSet
			? `select coalesce(json_agg(_r), '[]')::text as body from ${record ? `${record}, ` : ''}${call} _r`
			: `select ${fn.returnsVoid ? call : `to_json(${call})::text as body`}${record ? ` from ${record}` : ''}`;
		const params = present.length ? [req.raw] : [];

		const body = await inRequest(req, role, claims, schema, fn.volatility !== 'v', sql, params);
		return fn.returnsVoid ? { status: 204, body: '' } : { status: 200, body: body ?? 'null' };
	}

	/** PostgREST's db-pre-request from its in-database configuration, or null. */
	async function preRequest(): Promise<string | null> {
		const { rows } = await opts.db.query<{ fn: string }>(
			`select substr(s, length('pgrst.db_pre_request=') + 1) as fn
			   from pg_db_role_setting d join pg_roles r on r.oid = d.setrole, unnest(d.setconfig) s
			  where r.rolname = 'authenticator' and s like 'pgrst.db\\_pre\\_request=%'
			    and d.setdatabase in (0, (select oid from pg_database where datname = current_database()))
			  order by d.setdatabase desc limit 1`
		);
		return rows[0]?.fn ?? null;
	}

	/** One request's transaction, as PostgREST runs it; the first column of the first row. */
	async function inRequest(
		req: RecordedRequest,
		role: string,
		claims: JWTPayload,
		schema: string,
		readOnly: boolean,
		sql: string,
		params: unknown[]
	): Promise<string | null> {
		const pre = await preRequest();
		try {
			return await opts.db.transaction(async (tx) => {
				if (readOnly) await tx.exec('set transaction read only');
				await tx.exec(`set local role ${ident(role)}`);
				await tx.query(
					`select set_config('search_path', $1, true), set_config('request.jwt.claims', $2, true),
					        set_config('request.method', $3, true), set_config('request.path', $4, true),
					        set_config('request.headers', $5, true)`,
					[
						`${ident(schema)}, public, extensions`,
						JSON.stringify({ ...claims, role }),
						req.method,
						req.path.replace(/^\/rest\/v1/, ''),
						JSON.stringify(req.headers)
					]
				);
				if (pre) await tx.query(`select ${pre.split('.').map(ident).join('.')}()`);
				const r = await tx.query<Record<string, string | null>>(sql, params);
				const first = r.rows[0];
				return first ? (Object.values(first)[0] ?? null) : null;
			});
		} catch (e) {
			const err = e as PgError;
			if (!err.code) throw e;
			throw new HttpError(
				statusForSqlstate(err.code, role === anonRole),
				pgrst(err.code, err.message ?? '', err.detail ?? null, err.hint ?? null)
			);
		}
	}

	/** `GET /rest/v1/:table`: what a direct read of a table gives the caller. */
	async function tableRead(
		req: RecordedRequest,
		table: string
	): Promise<{ status: number; body: string }> {
		if (req.method !== 'GET')
			throw new HttpError(
				501,
				pgrst('DOUBLE', `the double implements GET of a table only, not ${req.method}`)
			);
		const schema = req.headers['accept-profile'] ?? schemas[0];
		if (!schemas.includes(schema))
			throw new HttpError(406, pgrst('PGRST106', `Invalid schema: ${schema}`));
		const select = new URLSearchParams(req.query).get('select');
		const cols = select ? select.split(',').map((c) => ident(c.trim())) : ['*'];
		const claims = await claimsOf(req.headers);
		const role = typeof claims.role === 'string' ? claims.role : anonRole;
		const sql = `select coalesce(json_agg(_t), '[]')::text as body
		               from (select ${cols.join(', ')} from ${ident(schema)}.${ident(table)}) _t`;
		return {
			status: 200,
			body: (await inRequest(req, role, claims, schema, true, sql, [])) ?? '[]'
		};
	}

	/** Supabase Auth's `GET /auth/v1/user`: the user behind a valid access token. */
	async function authUser(req: RecordedRequest): Promise<{ status: number; body: string }> {
		try {
			const claims = await claimsOf(req.headers);
			if (!claims.sub) throw new Error('no sub claim');
			return {
				status: 200,
				body: JSON.stringify({
					id: claims.sub,
					aud: claims.aud ?? 'authenticated',
					role: claims.role,
					email: claims.email ?? ''
				})
			};
		} catch (e) {
			return {
				status: 401,
				body: JSON.stringify({
					code: 401,
					error_code: 'bad_jwt',
					msg: `invalid JWT: ${(e as Error).message}`
				})
			};
		}
	}

	async function handle(req: IncomingMessage, res: ServerResponse) {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const raw = Buffer.concat(chunks).toString('utf8');
		const url = new URL(req.url ?? '/', 'http://double');
		const headers = Object.fromEntries(
			Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])
		);
		let body: unknown;
		try {
			body = raw ? JSON.parse(raw) : undefined;
		} catch {
			body = undefined;
		}
		const rec: RecordedRequest = {
			method: req.method ?? '',
			path: url.pathname,
			query: url.search,
			headers,
			raw,
			body
		};
		requests.push(rec);

		const send = (status: number, text: string, extra: Record<string, string> = {}) => {
			rec.response = { status, body: text };
			res.writeHead(
				status,
				text ? { 'content-type': 'application/json; charset=utf-8', ...extra } : extra
			);
			res.end(text);
		};
		try {
			// Supabase's gateway refuses anything without a known API key before PostgREST sees it.
			if (!headers.apikey)
				throw new HttpError(401, {
					message: 'No API key found in request',
					hint: 'No `apikey` request header or url param was found.'
				});
			if (!opts.apiKeys.includes(headers.apikey))
				throw new HttpError(401, { message: 'Invalid API key' });

			const m = /^\/rest\/v1\/rpc\/([^/]+)$/.exec(url.pathname);
			let out: { status: number; body: string };
			if (m) {
				if (raw && body === undefined)
					throw new HttpError(400, pgrst('PGRST102', 'Empty or invalid json'));
				out = await rpc(rec, decodeURIComponent(m[1]));
			} else if (url.pathname === '/auth/v1/user' && rec.method === 'GET') {
				out = await authUser(rec);
			} else if (/^\/rest\/v1\/[a-z_][a-z0-9_]*$/.test(url.pathname)) {
				out = await tableRead(rec, url.pathname.slice('/rest/v1/'.length));
			} else {
				throw new HttpError(
					404,
					pgrst('DOUBLE', `the double does not implement ${rec.method} ${url.pathname}`)
				);
			}
			send(out.status, out.body);
		} catch (e) {
			if (e instanceof HttpError) send(e.status, JSON.stringify(e.body), e.headers);
			else send(500, JSON.stringify(pgrst('DOUBLE', `double failure: ${(e as Error).message}`)));
		}
	}

	const server = createServer((req, res) => void handle(req, res));
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>((ok, ko) => {
				server.closeAllConnections();
				server.close((e) => (e ? ko(e) : ok()));
			})
	};
}
