import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { claimIdempotencyKey, currentRequest } from './context.ts';
import {
	openCore,
	PgliteCore,
	type Durability,
	type Engine,
	type RpcCall,
	type Timed
} from './pglite-core.ts';
import { WorkerEngine } from './pglite-remote.ts';
import { laneOf, LaneQueue } from './lanes.ts';
import { Upkeep } from './upkeep.ts';
import { acquireLock, LOCK_FILE, type DataDirLock } from './lock.ts';
import { callerContext, requestHash, rpcStatement } from './sql.ts';
import { DbError, type Adapter, type Args, type Caller, type CallOptions } from './types.ts';

import { ConfigError } from '../config.ts';

/**
 * Refuses a data directory that is not an (empty or) PostgreSQL data directory before PGlite
 * touches it, so a wrong TERRAIN_DATA_DIR never gets overwritten.
 */
export function checkDataDir(dir: string): 'new' | 'existing' {
	if (!existsSync(dir)) return 'new';
	if (!statSync(dir).isDirectory()) {
		throw new ConfigError(
			`TERRAIN_DATA_DIR ${dir} is a file, not a directory; point TERRAIN_DATA_DIR at an empty or a Terrain data directory`
		);
	}
	// `basemaps/` may be made by `terrain basemap add` before the first start ($lib/server/basemaps).
	const entries = readdirSync(dir).filter((e) => e !== LOCK_FILE && e !== 'basemaps');
	if (entries.length === 0) return 'new';
	if (!entries.includes('PG_VERSION') || !existsSync(join(dir, 'global'))) {
		throw new ConfigError(
			`TERRAIN_DATA_DIR ${dir} is not empty and is not a Terrain database; point TERRAIN_DATA_DIR at an empty or a Terrain data directory`
		);
	}
	return 'existing';
}

export function toDbError(e: unknown): Error {
	if (e instanceof DbError) return e;
	const err = e as { message?: string; code?: string; detail?: string };
	if (err && typeof err.message === 'string') return new DbError(err.message, err.code, err.detail);
	return e as Error;
}

/**
 * Where PGlite runs: in a worker thread (the default), so that its WASM, which runs synchronously
 * for as long as a call takes, blocks that thread and not the server's event loop; or, with
 * TERRAIN_PGLITE_WORKER=off, in this thread (as before; a way back if the worker misbehaves).
 */
export function pgliteInWorker(): boolean {
	return process.env.TERRAIN_PGLITE_WORKER !== 'off';
}

/**
 * The embedded database: PGlite with PostGIS. It runs one call at a time, so the adapter queues
 * calls itself (a fast lane for cheap ones, dropping calls whose client left), and with a data
 * directory on disk the engine syncs what each call wrote before answering (fsync.ts, in the
 * thread that holds PGlite) and this process holds the directory's lock (lock.ts) until closed.
 */
export class PgliteAdapter implements Adapter {
	readonly kind = 'embedded' as const;
	readonly queue = new LaneQueue();
	/** Autovacuum's job, done while the engine is idle (startUpkeep; the server turns it on). */
	upkeep: Upkeep | null = null;

	constructor(
		readonly engine: Engine,
		readonly lock: DataDirLock | null = null
	) {}

	/** What each call wrote is synced before it answers (null in memory). */
	get durability(): Durability | null {
		return this.engine.durability;
	}

	/**
	 * PGlite itself, for tests that drive it directly (RLS probes, the PostgREST double): only
	 * when it runs in this thread (fromDump, TERRAIN_PGLITE_WORKER=off).
	 */
	get db(): PGlite {
		if (this.engine instanceof PgliteCore) return this.engine.db;
		throw new Error('PGlite runs in a worker thread; open it with fromDump() to use it directly');
	}

	static async open(
		dataDir: string | undefined,
		opts: { worker?: boolean } = {}
	): Promise<PgliteAdapter> {
		let lock: DataDirLock | null = null;
		if (dataDir) {
			checkDataDir(dataDir);
			mkdirSync(dataDir, { recursive: true });
			lock = acquireLock(dataDir);
		}
		try {
			const engine =
				(opts.worker ?? pgliteInWorker())
					? await WorkerEngine.open({ dataDir })
					: await openCore({ dataDir });
			return new PgliteAdapter(engine, lock);
		} catch (e) {
			lock?.release();
			throw new ConfigError(
				`the database in ${dataDir} could not be opened (${(e as Error).message || e}); it may be corrupt — restore it from a backup or point TERRAIN_DATA_DIR at an empty directory`
			);
		}
	}

	/**
	 * A copy of the database from a dumpDataDir() tarball (tests). In this thread unless asked,
	 * so tests can reach PGlite itself (`db`).
	 */
	static async fromDump(dump: Blob, opts: { worker?: boolean } = {}): Promise<PgliteAdapter> {
		return new PgliteAdapter(
			opts.worker ? await WorkerEngine.open({ dump }) : await openCore({ dump })
		);
	}

	/** The whole database as a tarball (the integration tests' starting copies). */
	dumpDataDir(compression: 'none' | 'gzip' | 'auto' = 'auto'): Promise<Blob> {
		return this.engine.dump(compression);
	}

	/**
	 * Runs `hook` when the engine's worker dies (before the calls it was running fail): a
	 * notification of a commit it made may have died with it (auth/cache.ts forgets everything).
	 */
	onEngineStop(hook: () => void): void {
		this.engine.onStop?.(hook);
	}

	/** LISTEN on a channel (the live feed); resolves to a function that stops listening. */
	listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
		return this.engine.listen(channel, onPayload);
	}

	/**
	 * Keeps planner statistics and visibility maps current, as PostgreSQL's autovacuum would
	 * (upkeep.ts). The server turns it on; one-shot CLI commands and tests leave it off, so what
	 * they measure or compare never depends on when an idle moment fell.
	 */
	startUpkeep(log?: (s: string) => void, idleMs?: number): Upkeep {
		this.upkeep ??= new Upkeep(
			{
				busy: () => this.queue.waiting > 0,
				queryOwner: (sql) => this.queryOwner(sql),
				execOwner: (sql) => this.execOwner(sql)
			},
			log,
			idleMs
		);
		this.upkeep.touch();
		return this.upkeep;
	}

	/** Runs `work` when its turn comes; the engine syncs what it wrote before it resolves. */
	private async run<T>(
		fn: string,
		work: () => Promise<Timed<T>>,
		signal?: AbortSignal
	): Promise<T> {
		const queued = performance.now();
		try {
			return await this.queue.push(
				laneOf(fn),
				async () => {
					const started = performance.now();
					const r = await work();
					reportSlow(fn, started - queued, r.ranMs, r.syncMs);
					return r.value;
				},
				signal
			);
		} catch (e) {
			throw toDbError(e);
		} finally {
			this.upkeep?.touch();
		}
	}

	async rpc<T>(fn: string, args: Args, as: Caller, opts: CallOptions = {}): Promise<T> {
		const { text, values } = rpcStatement(fn, args);
		const { role, claims } = callerContext(as);
		const key = opts.idempotencyKey ?? claimIdempotencyKey(fn);
		const call: RpcCall = {
			text,
			values,
			role,
			claims,
			key,
			hash: key ? requestHash(fn, args) : ''
		};
		return this.run(fn, () => this.engine.rpc<T>(call), opts.signal ?? currentRequest()?.signal);
	}

	async execOwner(sql: string): Promise<void> {
		return this.run('', () => this.engine.exec(sql));
	}

	async queryOwner<T>(sql: string, params: unknown[] = []): Promise<T[]> {
		return this.run('', () => this.engine.query<T>(sql, params));
	}

	async close(): Promise<void> {
		this.upkeep?.stop();
		try {
			await this.run('', async () => ({ value: await this.engine.close(), ranMs: 0, syncMs: 0 }));
		} finally {
			this.lock?.release();
		}
	}
}

// Every other database call waits while one runs (PGlite runs one at a time), so a long call is worth a line in the server's log: it names the function
// an operator (or a red e2e run) should look at, and whether the time went in waiting, running
// or syncing to disk. `terrain serve` turns it on (TERRAIN_SLOW_CALL_MS, default 2000); the CLI's
// one-shot commands and the tests leave it off, so their stderr stays theirs.
function reportSlow(fn: string, waitedMs: number, ranMs: number, syncMs: number): void {
	const limit = Number(process.env.TERRAIN_SLOW_CALL_MS);
	if (!(limit > 0) || Math.max(waitedMs, ranMs, syncMs) < limit) return;
	const ms = (n: number) => `${Math.round(n)} ms`;
	console.warn(
		`${new Date().toISOString()} terrain: slow database call ${fn || '(sql)'}: waited ${ms(waitedMs)}, ran ${ms(ranMs)}, synced ${ms(syncMs)}`
	);
}
