import pg from 'pg';
import { toDbError } from './pglite.ts';
import { ConfigError } from '../config.ts';
import { claimIdempotencyKey, currentRequest } from './context.ts';
import { canceled } from './lanes.ts';
import { callerContext, requestHash, rpcStatement, statementTimeoutMs } from './sql.ts';
import type { Adapter, Args, Caller, CallOptions } from './types.ts';

// Dates stay 'YYYY-MM-DD' strings, as PGlite and PostgREST return them.
pg.types.setTypeParser(1082, (v: string) => v);

/** Any PostgreSQL ≥ 15 with PostGIS 3, through node-postgres. */
export class PostgresAdapter implements Adapter {
	readonly kind = 'postgres' as const;
	constructor(readonly pool: pg.Pool) {}

	static async open(url: string): Promise<PostgresAdapter> {
		let parsed: URL;
		try {
			parsed = new URL(url);
		} catch {
			throw new ConfigError(
				'DATABASE_URL is not a valid URL; expected postgres://user:password@host:5432/database'
			);
		}
		if (!/^postgres(ql)?:$/.test(parsed.protocol)) {
			throw new ConfigError(`DATABASE_URL must start with postgres:// (got ${parsed.protocol}//)`);
		}
		const pool = new pg.Pool({
			connectionString: url,
			max: Number(process.env.TERRAIN_DB_POOL ?? 10),
			connectionTimeoutMillis: 10_000
		});
		// Idle clients that lose their server must not crash the process.
		pool.on('error', () => {});
		try {
			const c = await pool.connect();
			c.release();
		} catch (e) {
			await pool.end().catch(() => {});
			const where = `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
			throw new ConfigError(
				`cannot connect to DATABASE_URL (${where}): ${(e as Error).message}; check the address, credentials and that PostgreSQL is running`
			);
		}
		return new PostgresAdapter(pool);
	}

	async rpc<T>(fn: string, args: Args, as: Caller, opts: CallOptions = {}): Promise<T> {
		const { text, values } = rpcStatement(fn, args);
		const { role, claims } = callerContext(as);
		const req = currentRequest();
		const signal = opts.signal ?? req?.signal;
		const timeout = statementTimeoutMs(fn, !!req);
		const key = opts.idempotencyKey ?? claimIdempotencyKey(fn);
		if (signal?.aborted) throw canceled('the client went away before the call started');
		const client = await this.pool.connect();
		// The client went away: cancel the statement running for it (a queued one never starts).
		const pid = (client as unknown as { processID?: number }).processID;
		const cancel = () => {
			if (pid) this.pool.query('select pg_cancel_backend($1)', [pid]).catch(() => {});
		};
		signal?.addEventListener('abort', cancel, { once: true });
		try {
			if (signal?.aborted) throw canceled('the client went away before the call started');
			await client.query('begin');
			if (role) await client.query(`set local role ${role}`);
			await client.query(`select set_config('request.jwt.claims', $1, true)`, [claims]);
			if (timeout) await client.query(`set local statement_timeout = ${timeout}`);
			let result: T;
			const first = key
				? (
						await client.query(
							'select public.idempotency_begin(p_key => $1, p_request_hash => $2) as result',
							[key, requestHash(fn, args)]
						)
					).rows[0]?.result
				: null;
			if (first) {
				result = first.response as T;
			} else {
				result = (await client.query(text, values)).rows[0]?.result as T;
				if (key)
					await client.query('select public.idempotency_finish(p_key => $1, p_response => $2)', [
						key,
						JSON.stringify(result ?? null)
					]);
			}
			await client.query('commit');
			return result;
		} catch (e) {
			await client.query('rollback').catch(() => {});
			throw toDbError(e);
		} finally {
			signal?.removeEventListener('abort', cancel);
			client.release();
		}
	}

	async execOwner(sql: string): Promise<void> {
		try {
			await this.pool.query(sql);
		} catch (e) {
			throw toDbError(e);
		}
	}

	async queryOwner<T>(sql: string, params: unknown[] = []): Promise<T[]> {
		try {
			return (await this.pool.query(sql, params)).rows as T[];
		} catch (e) {
			throw toDbError(e);
		}
	}

	async close(): Promise<void> {
		await this.pool.end();
	}
}
