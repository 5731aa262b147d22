import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { claimIdempotencyKey, currentRequest } from './context.ts';
import { FsyncTracker } from './fsync.ts';
import { laneOf, LaneQueue } from './lanes.ts';
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
 * The embedded database: PGlite with PostGIS, in this process. It runs one call at a time, so the
 * adapter queues calls itself (a fast lane for cheap ones, dropping calls whose client left), and
 * with a data directory on disk it syncs what each call wrote before answering (fsync.ts) and
 * holds the directory's lock (lock.ts) until closed.
 */
export class PgliteAdapter implements Adapter {
	readonly kind = 'embedded' as const;
	readonly queue = new LaneQueue();

	constructor(
		readonly db: PGlite,
		readonly durability: FsyncTracker | null = null,
		readonly lock: DataDirLock | null = null
	) {}

	static async open(dataDir: string | undefined): Promise<PgliteAdapter> {
		let lock: DataDirLock | null = null;
		if (dataDir) {
			checkDataDir(dataDir);
			mkdirSync(dataDir, { recursive: true });
			lock = acquireLock(dataDir);
		}
		const { PGlite } = await import('@electric-sql/pglite');
		const { postgis } = await import('@electric-sql/pglite-postgis');
		// Tracking starts before PGlite opens its files, so descriptors opened at start are known.
		const durability = dataDir ? new FsyncTracker(dataDir) : null;
		let db: PGlite;
		try {
			db = await PGlite.create({ dataDir, extensions: { postgis } });
		} catch (e) {
			durability?.close();
			lock?.release();
			throw new ConfigError(
				`the database in ${dataDir} could not be opened (${(e as Error).message || e}); it may be corrupt — restore it from a backup or point TERRAIN_DATA_DIR at an empty directory`
			);
		}
		// What the start wrote (initdb on a new directory, recovery) is on disk before any answer.
		await durability?.flush();
		return new PgliteAdapter(db, durability, lock);
	}

	/** A copy of the database from a dumpDataDir() tarball (tests). */
	static async fromDump(dump: Blob): Promise<PgliteAdapter> {
		const { PGlite } = await import('@electric-sql/pglite');
		const { postgis } = await import('@electric-sql/pglite-postgis');
		return new PgliteAdapter(await PGlite.create({ loadDataDir: dump, extensions: { postgis } }));
	}

	/**
	 * Runs `work` when its turn comes, then syncs what it wrote: the answer leaves only once the
	 * commit is on disk. The sync happens inside the queue slot, so PGlite is idle meanwhile.
	 */
	private run<T>(fn: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
		const queued = performance.now();
		return this.queue.push(
			laneOf(fn),
			async () => {
				const started = performance.now();
				try {
					return await work();
				} finally {
					const synced = performance.now();
					await this.durability?.flush();
					reportSlow(fn, started - queued, synced - started, performance.now() - synced);
				}
			},
			signal
		);
	}

	async rpc<T>(fn: string, args: Args, as: Caller, opts: CallOptions = {}): Promise<T> {
		const { text, values } = rpcStatement(fn, args);
		const { role, claims } = callerContext(as);
		const key = opts.idempotencyKey ?? claimIdempotencyKey(fn);
		const hash = key ? requestHash(fn, args) : '';
		const call = async (tx: Transaction): Promise<T> => {
			if (role) await tx.exec(`set local role ${role}`);
			await tx.query(`select set_config('request.jwt.claims', $1, true)`, [claims]);
			if (key) {
				// Check, create and remember in one transaction (see the idempotency_keys migration).
				const seen = await tx.query<{ result: { response: T } | null }>(
					'select public.idempotency_begin(p_key => $1, p_request_hash => $2) as result',
					[key, hash]
				);
				const first = seen.rows[0]?.result;
				if (first) return first.response;
			}
			const r = await tx.query<{ result: T }>(text, values);
			const result = r.rows[0]?.result as T;
			if (key) {
				await tx.query('select public.idempotency_finish(p_key => $1, p_response => $2)', [
					key,
					JSON.stringify(result ?? null)
				]);
			}
			return result;
		};
		try {
			// One transaction per call: the role and claims are local to it, and calls run one at a
			// time, so concurrent requests never see each other's identity.
			return await this.run(
				fn,
				() => this.db.transaction(call),
				opts.signal ?? currentRequest()?.signal
			);
		} catch (e) {
			throw toDbError(e);
		}
	}

	async execOwner(sql: string): Promise<void> {
		try {
			await this.run('', () => this.db.exec(sql));
		} catch (e) {
			throw toDbError(e);
		}
	}

	async queryOwner<T>(sql: string, params: unknown[] = []): Promise<T[]> {
		try {
			return await this.run('', async () => (await this.db.query<T>(sql, params)).rows);
		} catch (e) {
			throw toDbError(e);
		}
	}

	async close(): Promise<void> {
		try {
			await this.run('', () => this.db.close());
		} finally {
			this.durability?.close();
			this.lock?.release();
		}
	}
}

// Every other request waits while one call runs (PGlite is single-threaded, and its WASM holds
// the event loop), so a long call is worth a line in the server's log: it names the function
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
