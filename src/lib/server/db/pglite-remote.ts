/**
 * The server's side of the PGlite worker (pglite-thread.ts): posts one message per call and
 * resolves it with the answer. The worker only keeps the process alive while a call is pending,
 * as in-process PGlite did not, so a CLI command that forgets to close still exits.
 *
 * A worker that dies (a crash in PGlite's WASM, out of memory, a kill) is restarted: the calls it
 * was running fail at once with SQLSTATE 57P02 (crash_shutdown; the API answers 503), one line
 * goes to the server's log, and the next call opens the data directory again in a new worker
 * (PostgreSQL's own recovery replays its WAL), LISTEN subscriptions included. Only a database on
 * disk can be reopened; an in-memory one (tests) died with its worker.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Durability, Engine, RpcCall, Timed } from './pglite-core.ts';
import type { Notice, PlainError, Reply, Request, Stats } from './pglite-thread.ts';

const ENTRY = 'pglite-worker.mjs';

/**
 * The worker's entry file: beside this module when it runs from source (CLI, tests, vite dev).
 * The built app's bundled copy of this module lives in build/server/…, and the entry is not
 * bundled: it stays in the checkout's src/, which the CLI runs from anyway (bin/terrain.js).
 */
export function workerEntry(): string {
	let dir = dirname(fileURLToPath(import.meta.url));
	const here = join(dir, ENTRY);
	if (existsSync(here)) return here;
	for (;;) {
		const candidate = join(dir, 'src', 'lib', 'server', 'db', ENTRY);
		if (existsSync(candidate)) return candidate;
		const up = dirname(dir);
		if (up === dir) throw new Error(`cannot find the PGlite worker (${ENTRY}) from ${here}`);
		dir = up;
	}
}

type Op = Request extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/** A worker's failure as the adapter sees any database error: a message and maybe a code. */
export class RemoteError extends Error {
	constructor(readonly plain: PlainError) {
		super(plain.message);
	}
	get code() {
		return this.plain.code;
	}
	get detail() {
		return this.plain.detail;
	}
}

export class WorkerEngine implements Engine {
	/** The worker that has (or is opening) the database; null once it died, until the next call. */
	private current: Worker | null = null;
	private ready: Promise<Worker> | null = null;
	private readonly pending = new Map<
		number,
		{ resolve: (r: Reply) => void; reject: (e: Error) => void }
	>();
	private readonly listeners = new Map<
		number,
		{ channel: string; onPayload: (payload: string) => void }
	>();
	private readonly stopHooks = new Set<() => void>();
	private next = 1;
	private closed: Error | null = null;
	private stats: Stats = { syncs: 0, flushes: 0, flushMs: 0 };
	/** How many times a dead worker was replaced (tests). */
	restarts = 0;
	readonly durability: Durability | null;

	private constructor(private readonly dataDir: string | undefined) {
		const stats = () => this.stats;
		const post = (op: Op) => this.send(op);
		this.durability = dataDir
			? {
					get syncs() {
						return stats().syncs;
					},
					get flushes() {
						return stats().flushes;
					},
					get flushMs() {
						return stats().flushMs;
					},
					close: () => void post({ op: 'nosync' }).catch(() => {})
				}
			: null;
	}

	static async open(from: { dataDir?: string; dump?: Blob }): Promise<WorkerEngine> {
		const engine = new WorkerEngine(from.dataDir);
		const dump = from.dump ? await from.dump.arrayBuffer() : undefined;
		engine.ready = engine.start(dump);
		try {
			await engine.ready;
		} catch (e) {
			engine.closed = e as Error;
			throw e;
		}
		return engine;
	}

	/** The worker thread now holding the database, if any (tests kill it). */
	get thread(): Worker | null {
		return this.current;
	}

	/**
	 * Called when the worker dies, before its calls are failed: whoever keeps answers from the
	 * database in memory forgets them (a write it committed may not have been reported).
	 */
	onStop(hook: () => void): void {
		this.stopHooks.add(hook);
	}

	/** A new worker with the database open, and the LISTEN subscriptions of the one before. */
	private async start(dump?: ArrayBuffer): Promise<Worker> {
		const w = new Worker(workerEntry());
		w.unref();
		w.on('message', (m: Reply | Notice) => this.receive(m));
		w.on('error', (e) => this.died(w, e.message));
		w.on('exit', (code) => this.died(w, `exit code ${code}`));
		this.current = w;
		try {
			await this.post(w, { op: 'open', dataDir: this.dataDir, dump }, dump ? [dump] : []);
			for (const [sub, { channel }] of this.listeners)
				await this.post(w, { op: 'listen', channel, sub });
		} catch (e) {
			if (this.current === w) this.current = null;
			await w.terminate();
			throw e;
		}
		return w;
	}

	private died(w: Worker, why: string): void {
		if (this.current !== w) return; // already handled (error, then exit), or replaced
		this.current = null;
		this.ready = null;
		const inFlight = this.pending.size;
		if (!this.closed) {
			console.error(
				`${new Date().toISOString()} terrain: the embedded database's worker stopped (${why}); ${inFlight} call(s) in flight failed; ${this.dataDir ? 'the next call reopens it' : 'its in-memory database is lost'}`
			);
			for (const hook of this.stopHooks) hook();
		}
		const e =
			this.closed ??
			new RemoteError({
				message: `the embedded database's worker stopped (${why}) during this call; ${this.dataDir ? 'the next call reopens it' : 'its in-memory database is lost'}`,
				code: '57P02'
			});
		for (const p of this.pending.values()) p.reject(e);
		this.pending.clear();
	}

	/** The open worker: the current one, or a new one when the last one died. */
	private worker(): Promise<Worker> {
		if (this.closed) return Promise.reject(this.closed);
		if (!this.ready) {
			if (!this.dataDir)
				return Promise.reject(
					new RemoteError({
						message: "the embedded database's worker stopped and its in-memory database is lost",
						code: '57P02'
					})
				);
			const t0 = performance.now();
			const ready = this.start();
			this.ready = ready;
			ready.then(
				() => {
					this.restarts++;
					console.error(
						`${new Date().toISOString()} terrain: the embedded database is open again in a new worker (${Math.round(performance.now() - t0)} ms)`
					);
				},
				() => {
					// the next call tries again
					if (this.ready === ready) this.ready = null;
				}
			);
		}
		return this.ready;
	}

	private receive(m: Reply | Notice): void {
		if ('sub' in m) {
			this.listeners.get(m.sub)?.onPayload(m.payload);
			return;
		}
		this.stats = m.stats;
		const p = this.pending.get(m.id);
		if (!p) return;
		this.pending.delete(m.id);
		if (this.pending.size === 0) this.current?.unref();
		if ('error' in m) p.reject(new RemoteError(m.error));
		else p.resolve(m);
	}

	private post(w: Worker, op: Op, transfer: ArrayBuffer[] = []): Promise<Reply> {
		const id = this.next++;
		return new Promise<Reply>((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
			if (this.pending.size === 1) w.ref();
			w.postMessage({ id, ...op }, transfer);
		});
	}

	private async send(op: Op): Promise<Reply> {
		return this.post(await this.worker(), op);
	}

	private async timed<T>(op: Op): Promise<Timed<T>> {
		const r = (await this.send(op)) as { value?: T; ranMs?: number; syncMs?: number };
		return { value: r.value as T, ranMs: r.ranMs ?? 0, syncMs: r.syncMs ?? 0 };
	}

	rpc<T>(call: RpcCall): Promise<Timed<T>> {
		return this.timed<T>({ op: 'rpc', call });
	}

	exec(sql: string): Promise<Timed<void>> {
		return this.timed<void>({ op: 'exec', sql });
	}

	query<T>(sql: string, params: unknown[]): Promise<Timed<T[]>> {
		return this.timed<T[]>({ op: 'query', sql, params });
	}

	async listen(channel: string, onPayload: (p: string) => void): Promise<() => Promise<void>> {
		const sub = this.next++;
		this.listeners.set(sub, { channel, onPayload });
		try {
			await this.send({ op: 'listen', channel, sub });
		} catch (e) {
			this.listeners.delete(sub);
			throw e;
		}
		return async () => {
			this.listeners.delete(sub);
			if (!this.closed && this.current) await this.send({ op: 'unlisten', sub });
		};
	}

	async dump(compression: 'none' | 'gzip' | 'auto'): Promise<Blob> {
		const r = await this.timed<ArrayBuffer>({ op: 'dump', compression });
		return new Blob([r.value]);
	}

	async close(): Promise<void> {
		const w = this.current;
		try {
			if (w && this.ready) await this.send({ op: 'close' });
		} finally {
			this.closed ??= new Error('the embedded database is closed');
			await w?.terminate();
		}
	}
}
