/**
 * The worker thread that holds PGlite (started by pglite-remote.ts through pglite-worker.mjs).
 * PGlite's WASM runs synchronously: here a long call blocks this thread only, and the server's
 * event loop keeps answering. Each message is one whole call (pglite-core.ts); the answer carries
 * the sync counters, and errors go back as plain {message, code, detail} (the adapter makes them
 * DbErrors again).
 */
import { parentPort, type TransferListItem } from 'node:worker_threads';
import { openCore, type PgliteCore, type RpcCall } from './pglite-core.ts';

export type Request = { id: number } & (
	| { op: 'open'; dataDir?: string; dump?: ArrayBuffer }
	| { op: 'rpc'; call: RpcCall }
	| { op: 'exec'; sql: string }
	| { op: 'query'; sql: string; params: unknown[] }
	| { op: 'listen'; channel: string; sub: number }
	| { op: 'unlisten'; sub: number }
	| { op: 'dump'; compression: 'none' | 'gzip' | 'auto' }
	| { op: 'nosync' }
	| { op: 'close' }
);

export interface Stats {
	syncs: number;
	flushes: number;
	flushMs: number;
}

export type Reply =
	| { id: number; value?: unknown; ranMs?: number; syncMs?: number; stats: Stats }
	| { id: number; error: PlainError; stats: Stats };

/** A notification for a listen() subscription. */
export interface Notice {
	sub: number;
	payload: string;
}

export interface PlainError {
	message: string;
	code?: string;
	detail?: string;
}

const port = parentPort!;
let core: PgliteCore | null = null;
const subs = new Map<number, () => Promise<void>>();

function ready(): PgliteCore {
	if (!core) throw new Error('the embedded database is not open');
	return core;
}

async function handle(m: Request): Promise<[Omit<Reply, 'id' | 'stats'>, TransferListItem[]]> {
	switch (m.op) {
		case 'open':
			core = await openCore({
				dataDir: m.dataDir,
				dump: m.dump ? new Blob([m.dump]) : undefined
			});
			return [{}, []];
		case 'rpc':
			return [await ready().rpc(m.call), []];
		case 'exec':
			return [await ready().exec(m.sql), []];
		case 'query':
			return [await ready().query(m.sql, m.params), []];
		case 'listen': {
			const sub = m.sub;
			const stop = await ready().listen(m.channel, (payload) =>
				port.postMessage({ sub, payload } satisfies Notice)
			);
			subs.set(sub, stop);
			return [{}, []];
		}
		case 'unlisten':
			await subs.get(m.sub)?.();
			subs.delete(m.sub);
			return [{}, []];
		case 'dump': {
			const bytes = await (await ready().dump(m.compression)).arrayBuffer();
			return [{ value: bytes }, [bytes]];
		}
		case 'nosync':
			core?.durability?.close();
			return [{}, []];
		case 'close':
			await core?.close();
			return [{}, []];
	}
}

function stats(): Stats {
	const d = core?.durability;
	return { syncs: d?.syncs ?? 0, flushes: d?.flushes ?? 0, flushMs: d?.flushMs ?? 0 };
}

function plain(e: unknown): PlainError {
	const err = e as { message?: unknown; code?: unknown; detail?: unknown };
	return {
		message: typeof err?.message === 'string' ? err.message : String(e),
		code: typeof err?.code === 'string' ? err.code : undefined,
		detail: typeof err?.detail === 'string' ? err.detail : undefined
	};
}

port.on('message', (m: Request) => {
	handle(m).then(
		([reply, transfer]) => port.postMessage({ id: m.id, ...reply, stats: stats() }, transfer),
		(e) => port.postMessage({ id: m.id, error: plain(e), stats: stats() } satisfies Reply)
	);
});
