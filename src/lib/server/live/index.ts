/**
 * The live feed: PostgreSQL LISTEN on channel `terrain_live`, fanned out to this process's
 * subscribers (the SSE streams). Every app process on one database LISTENs for itself, so a
 * notification raised by any of them (or by a SQL function) reaches every open browser.
 * Payloads carry ids only; each stream reads the row as its own user, so RLS decides what is sent.
 */
import pg from 'pg';
import { getDb } from '../db/index.ts';
import type { Adapter } from '../db/types.ts';
import type { PgliteAdapter } from '../db/pglite.ts';
import type { PostgresAdapter } from '../db/postgres.ts';

export const LIVE_CHANNEL = 'terrain_live';

export interface LiveMessage {
	kind: string;
	id?: string;
	[k: string]: unknown;
}
export type LiveHandler = (m: LiveMessage) => void;

function parse(payload: string): LiveMessage | null {
	try {
		const m = JSON.parse(payload);
		return m && typeof m === 'object' && typeof m.kind === 'string' ? (m as LiveMessage) : null;
	} catch {
		return null;
	}
}

/**
 * Listens on the database behind `db`: a dedicated node-postgres client (never a pooled one, whose
 * LISTEN would end with the transaction's connection) or PGlite's own listen(). Resolves to a
 * function that stops listening.
 */
export async function listenLive(
	db: Adapter,
	onMessage: LiveHandler
): Promise<() => Promise<void>> {
	const deliver = (payload: string) => {
		const m = parse(payload);
		if (m) onMessage(m);
	};
	if (db.kind === 'embedded') {
		const unlisten = await (db as PgliteAdapter).listen(LIVE_CHANNEL, deliver);
		return () => unlisten();
	}
	if (db.kind === 'postgres') {
		const client = new pg.Client((db as PostgresAdapter).pool.options);
		client.on('notification', (n) => {
			if (n.channel === LIVE_CHANNEL && n.payload) deliver(n.payload);
		});
		// a lost connection ends this listener; the hub below opens a new one
		client.on('error', () => {});
		await client.connect();
		await client.query(`listen ${LIVE_CHANNEL}`);
		return async () => {
			await client.end().catch(() => {});
		};
	}
	throw new Error('the live feed needs the embedded database or DATABASE_URL (not Supabase mode)');
}

/** One listener per process, shared by every subscriber; started on the first subscription. */
class LiveHub {
	private handlers = new Set<LiveHandler>();
	private started: Promise<(() => Promise<void>) | undefined> | null = null;

	subscribe(h: LiveHandler): () => void {
		this.handlers.add(h);
		this.started ??= this.start();
		return () => this.handlers.delete(h);
	}

	private async start() {
		try {
			return await listenLive(await getDb(), (m) => {
				for (const h of this.handlers) h(m);
			});
		} catch (e) {
			console.error('live feed: cannot listen', e);
			this.started = null;
		}
	}

	/** Resolves once this process LISTENs (a stream says it is connected only then). */
	async ready(): Promise<void> {
		await this.started;
	}

	/** Stops listening (tests that switch databases; a later subscription listens again). */
	async close() {
		const unlisten = await this.started;
		this.started = null;
		this.handlers.clear();
		await unlisten?.();
	}
}

const KEY = Symbol.for('terrain.live');
export function liveHub(): LiveHub {
	const g = globalThis as { [KEY]?: LiveHub };
	return (g[KEY] ??= new LiveHub());
}
