/**
 * What runs beside PGlite, in whichever thread holds it (the worker, pglite-thread.ts, or the
 * server's own thread with TERRAIN_PGLITE_WORKER=off): one whole call per method — its
 * transaction, role, claims and idempotency record — then the sync of what it wrote, so a call
 * crosses the thread boundary once and its answer leaves only after its commit is on disk.
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { FsyncTracker } from './fsync.ts';

/** One rpc, prepared on the caller's side (sql.ts, context.ts) so it can be posted as data. */
export interface RpcCall {
	text: string;
	values: unknown[];
	role: string | null;
	claims: string;
	/** Idempotency key and request hash, when the call is the request's creating call. */
	key?: string;
	hash: string;
}

/** A result with where the time went: running the SQL, then syncing it (the slow-call report). */
export interface Timed<T> {
	value: T;
	ranMs: number;
	syncMs: number;
}

/** The sync counters the durability test and the bench read. */
export interface Durability {
	readonly syncs: number;
	readonly flushes: number;
	readonly flushMs: number;
	/** Stops syncing (the durability test measures what syncing costs). */
	close(): void;
}

/** What the adapter asks of an engine, in this thread or in the worker. */
export interface Engine {
	readonly durability: Durability | null;
	rpc<T>(call: RpcCall): Promise<Timed<T>>;
	exec(sql: string): Promise<Timed<void>>;
	query<T>(sql: string, params: unknown[]): Promise<Timed<T[]>>;
	listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
	dump(compression: 'none' | 'gzip' | 'auto'): Promise<Blob>;
	close(): Promise<void>;
	/** Called when the engine's thread dies (a worker engine; in this thread it cannot). */
	onStop?(hook: () => void): void;
}

export class PgliteCore implements Engine {
	constructor(
		readonly db: PGlite,
		readonly durability: FsyncTracker | null
	) {}

	private async timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
		const t0 = performance.now();
		const settled = await work().then(
			(value) => ({ value }),
			(error: unknown) => ({ error })
		);
		const t1 = performance.now();
		// A failed call may have written too (a rolled-back transaction's WAL): synced all the
		// same, while PGlite is idle.
		await this.durability?.flush();
		if ('error' in settled) throw settled.error;
		return { value: settled.value, ranMs: t1 - t0, syncMs: performance.now() - t1 };
	}

	rpc<T>(c: RpcCall): Promise<Timed<T>> {
		const call = async (tx: Transaction): Promise<T> => {
			if (c.role) await tx.exec(`set local role ${c.role}`);
			await tx.query(`select set_config('request.jwt.claims', $1, true)`, [c.claims]);
			if (c.key) {
				// Check, create and remember in one transaction (see the idempotency_keys migration).
				const seen = await tx.query<{ result: { response: T } | null }>(
					'select public.idempotency_begin(p_key => $1, p_request_hash => $2) as result',
					[c.key, c.hash]
				);
				const first = seen.rows[0]?.result;
				if (first) return first.response;
			}
			const r = await tx.query<{ result: T }>(c.text, c.values);
			const result = r.rows[0]?.result as T;
			if (c.key) {
				await tx.query('select public.idempotency_finish(p_key => $1, p_response => $2)', [
					c.key,
					JSON.stringify(result ?? null)
				]);
			}
			return result;
		};
		// One transaction per call: the role and claims are local to it, and calls run one at a
		// time, so concurrent requests never see each other's identity.
		return this.timed(() => this.db.transaction(call));
	}

	exec(sql: string): Promise<Timed<void>> {
		return this.timed(async () => {
			await this.db.exec(sql);
		});
	}

	query<T>(sql: string, params: unknown[]): Promise<Timed<T[]>> {
		return this.timed(async () => (await this.db.query<T>(sql, params)).rows);
	}

	async listen(channel: string, onPayload: (p: string) => void): Promise<() => Promise<void>> {
		return this.db.listen(channel, onPayload);
	}

	async dump(compression: 'none' | 'gzip' | 'auto'): Promise<Blob> {
		return this.db.dumpDataDir(compression);
	}

	async close(): Promise<void> {
		try {
			await this.timed(() => this.db.close());
		} finally {
			this.durability?.close();
		}
	}
}

/**
 * Opens PGlite with PostGIS on a data directory (synced after each call), a dump (tests) or in
 * memory. Tracking starts before PGlite opens its files, so descriptors opened at start are
 * known, and what the start wrote (initdb, recovery) is on disk before any answer.
 */
export async function openCore(from: { dataDir?: string; dump?: Blob }): Promise<PgliteCore> {
	const { PGlite } = await import('@electric-sql/pglite');
	const { postgis } = await import('@electric-sql/pglite-postgis');
	const durability = from.dataDir ? new FsyncTracker(from.dataDir) : null;
	try {
		const db = await PGlite.create({
			dataDir: from.dataDir,
			loadDataDir: from.dump,
			extensions: { postgis }
		});
		await durability?.flush();
		return new PgliteCore(db, durability);
	} catch (e) {
		durability?.close();
		throw e;
	}
}
