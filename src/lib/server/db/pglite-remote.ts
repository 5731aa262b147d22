/**
 * The server's side of the PGlite worker (pglite-thread.ts): posts one message per call and
 * resolves it with the answer. The worker only keeps the process alive while a call is pending,
 * as in-process PGlite did not, so a CLI command that forgets to close still exits.
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
	private readonly worker: Worker;
	private readonly pending = new Map<
		number,
		{ resolve: (r: Reply) => void; reject: (e: Error) => void }
	>();
	private readonly listeners = new Map<number, (payload: string) => void>();
	private next = 1;
	private stopped: Error | null = null;
	private stats: Stats = { syncs: 0, flushes: 0, flushMs: 0 };
	readonly durability: Durability | null;

	private constructor(synced: boolean) {
		this.worker = new Worker(workerEntry());
		this.worker.unref();
		this.worker.on('message', (m: Reply | Notice) => this.receive(m));
		this.worker.on('error', (e) => this.stop(e));
		this.worker.on('exit', (code) =>
			this.stop(new Error(`the embedded database's worker stopped (exit code ${code})`))
		);
		const stats = () => this.stats;
		const post = (op: Op) => this.send(op);
		this.durability = synced
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
		const engine = new WorkerEngine(!!from.dataDir);
		const dump = from.dump ? await from.dump.arrayBuffer() : undefined;
		try {
			await engine.send({ op: 'open', dataDir: from.dataDir, dump }, dump ? [dump] : []);
		} catch (e) {
			await engine.worker.terminate();
			throw e;
		}
		return engine;
	}

	private receive(m: Reply | Notice): void {
		if ('sub' in m) {
			this.listeners.get(m.sub)?.(m.payload);
			return;
		}
		this.stats = m.stats;
		const p = this.pending.get(m.id);
		if (!p) return;
		this.pending.delete(m.id);
		if (this.pending.size === 0) this.worker.unref();
		if ('error' in m) p.reject(new RemoteError(m.error));
		else p.resolve(m);
	}

	private stop(e: Error): void {
		this.stopped ??= e;
		for (const p of this.pending.values()) p.reject(e);
		this.pending.clear();
	}

	private send(op: Op, transfer: ArrayBuffer[] = []): Promise<Reply> {
		if (this.stopped) return Promise.reject(this.stopped);
		const id = this.next++;
		return new Promise<Reply>((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
			if (this.pending.size === 1) this.worker.ref();
			this.worker.postMessage({ id, ...op }, transfer);
		});
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
		this.listeners.set(sub, onPayload);
		await this.send({ op: 'listen', channel, sub });
		return async () => {
			this.listeners.delete(sub);
			if (!this.stopped) await this.send({ op: 'unlisten', sub });
		};
	}

	async dump(compression: 'none' | 'gzip' | 'auto'): Promise<Blob> {
		const r = await this.timed<ArrayBuffer>({ op: 'dump', compression });
		return new Blob([r.value]);
	}

	async close(): Promise<void> {
		try {
			await this.send({ op: 'close' });
		} finally {
			this.stopped ??= new Error('the embedded database is closed');
			await this.worker.terminate();
		}
	}
}
