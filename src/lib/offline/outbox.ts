/**
 * The outbox (issue 14): every report and check-in/check-out is first written to IndexedDB under
 * an id the client makes, then sent. Sending goes in order, one tab at a time (Web Locks), with
 * that id as the `Idempotency-Key`, so a replay after a lost answer creates nothing twice; reports
 * waiting together go as one batched request, each still under its own id and answered alone. An item
 * is marked accepted only once the server answered 2xx (it committed); a 4xx keeps the item with
 * the server's errors for the user to fix; no answer, 401, 429 or 5xx stop the run and it waits.
 *
 * Nothing need-to-know is written here: a report is what its author typed, a movement step is an
 * id, a step name and optionally the position the author chose to send.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { OUTBOX_DB } from './names';

export type OutboxKind = 'incident' | 'movement-step' | 'headcount-answer';
export type OutboxState = 'waiting' | 'rejected' | 'accepted';

export interface OutboxItem {
	/** Client-made (crypto.randomUUID), sent as Idempotency-Key. */
	id: string;
	/** Order of submission. */
	seq: number;
	/** Who queued it: another user signing in on this browser never sends it. */
	user: string;
	kind: OutboxKind;
	url: string;
	body: unknown;
	/** The form's fields, to fill the form again when the server refused the item. */
	fields?: Record<string, string>;
	/** What the user sees in the outbox (typed by them: date, type, place). */
	label: string;
	created: string;
	state: OutboxState;
	/** rejected: the server's message and field errors. */
	message?: string;
	errors?: Record<string, string>;
	/** accepted: where the created record is. */
	href?: string;
	settled?: string;
}

interface Schema extends DBSchema {
	items: { key: string; value: OutboxItem; indexes: { seq: number } };
}

let dbp: Promise<IDBPDatabase<Schema>> | null = null;
function db() {
	dbp ??= openDB<Schema>(OUTBOX_DB, 1, {
		upgrade(d) {
			d.createObjectStore('items', { keyPath: 'id' }).createIndex('seq', 'seq');
		},
		// Another tab deletes the database (sign-out): let it, and reopen next time.
		blocking() {
			void dbp?.then((d) => d.close());
			dbp = null;
		}
	});
	return dbp;
}

/** Closes the connection so that the database can be deleted (sign-out). */
export async function closeOutbox(): Promise<void> {
	const d = dbp;
	dbp = null;
	if (d) (await d).close();
}

const listeners = new Set<() => void>();
/** Called after any change made in this tab (the outbox indicator re-reads). */
export function onOutboxChange(fn: () => void): () => void {
	listeners.add(fn);
	return () => listeners.delete(fn);
}
const changed = () => listeners.forEach((fn) => fn());

export async function listOutbox(user?: string): Promise<OutboxItem[]> {
	const all = await (await db()).getAllFromIndex('items', 'seq');
	return user ? all.filter((i) => i.user === user) : all;
}

export async function getItem(id: string): Promise<OutboxItem | undefined> {
	return (await db()).get('items', id);
}

export async function removeItem(id: string): Promise<void> {
	await (await db()).delete('items', id);
	changed();
}

/** Writes the item durably (the transaction has committed when this resolves). */
export async function enqueue(
	item: Omit<OutboxItem, 'id' | 'seq' | 'created' | 'state'> & { id?: string }
): Promise<OutboxItem> {
	const full: OutboxItem = {
		...item,
		id: item.id ?? crypto.randomUUID(),
		// Milliseconds plus a fraction keep two items queued in the same millisecond in order.
		seq: Date.now() + Math.random() / 2,
		created: new Date().toISOString(),
		state: 'waiting'
	};
	const tx = (await db()).transaction('items', 'readwrite', { durability: 'strict' });
	await tx.store.put(full);
	await tx.done;
	changed();
	return full;
}

export interface SyncReport {
	sent: number;
	rejected: number;
	/** Why the run stopped early: no network, signed out, server trouble. */
	stopped: 'offline' | 'unauthorized' | 'server' | null;
}

async function settle(item: OutboxItem, patch: Partial<OutboxItem>) {
	const tx = (await db()).transaction('items', 'readwrite', { durability: 'strict' });
	await tx.store.put({ ...item, ...patch, settled: new Date().toISOString() });
	await tx.done;
	changed();
}

/** Where the record the server created can be seen. */
function hrefOf(item: OutboxItem, body: unknown): string | undefined {
	const b = body as { incident?: { id?: string }; id?: string } | null;
	if (item.kind === 'incident' && b?.incident?.id) return `/incidents/${b.incident.id}`;
	if (item.kind === 'movement-step')
		return item.url.replace(/^\/api\/v1/, '').replace(/\/transition$/, '');
	if (item.kind === 'headcount-answer')
		return item.url.replace(/^\/api\/v1\/headcounts/, '/headcount').replace(/\/answer$/, '');
	return undefined;
}

// Extra fields kept in memory only, never on the device (a position attached to a check-out).
const memo = new Map<string, Record<string, unknown>>();
export function setMemo(id: string, extra: Record<string, unknown>) {
	memo.set(id, extra);
}

async function sendOne(item: OutboxItem): Promise<'sent' | 'rejected' | SyncReport['stopped']> {
	let res: Response;
	try {
		res = await fetch(item.url, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				accept: 'application/json',
				'idempotency-key': item.id
			},
			body: JSON.stringify({ ...(item.body as object), ...memo.get(item.id) }),
			credentials: 'same-origin'
		});
	} catch {
		return 'offline';
	}
	const body = await res.json().catch(() => null);
	memo.delete(item.id);
	if (res.ok) {
		await settle(item, { state: 'accepted', href: hrefOf(item, body), errors: undefined });
		return 'sent';
	}
	if (res.status === 401) return 'unauthorized';
	if (res.status === 429 || res.status >= 500) return 'server';
	await settle(item, {
		state: 'rejected',
		message: (body as { message?: string } | null)?.message ?? `${res.status}`,
		errors: (body as { errors?: Record<string, string> } | null)?.errors
	});
	return 'rejected';
}

/** Reports sent per batched request: small enough that a dropped link loses little time. */
export const BATCH_SIZE = 100;
const BATCH_URL = '/api/v1/incidents/report/batch';

/**
 * Sends waiting reports in one request (issue 14: on a 1 Mbit/s, 300 ms link one round trip per
 * report dominates). Each item keeps its own id as its idempotency key and gets its own answer,
 * in order; the first item the server could not store stops the run there.
 */
async function sendBatch(items: OutboxItem[]): Promise<{
	sent: number;
	rejected: number;
	stopped: SyncReport['stopped'];
}> {
	const out = { sent: 0, rejected: 0, stopped: null as SyncReport['stopped'] };
	let res: Response;
	try {
		res = await fetch(BATCH_URL, {
			method: 'POST',
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			body: JSON.stringify({ items: items.map((i) => ({ id: i.id, body: i.body })) }),
			credentials: 'same-origin'
		});
	} catch {
		return { ...out, stopped: 'offline' };
	}
	if (res.status === 401) return { ...out, stopped: 'unauthorized' };
	type Result = { id: string; status: number; incident?: { id?: string } } & Partial<
		Pick<OutboxItem, 'message' | 'errors'>
	>;
	const body = (await res.json().catch(() => null)) as { results?: Result[] } | null;
	if (!res.ok || !Array.isArray(body?.results)) return { ...out, stopped: 'server' };
	const byId = new Map(body.results.map((r) => [r.id, r]));
	for (const item of items) {
		const r = byId.get(item.id);
		if (!r || r.status === 401 || r.status === 429 || r.status >= 500)
			return { ...out, stopped: r?.status === 401 ? 'unauthorized' : 'server' };
		if (r.status >= 200 && r.status < 300) {
			await settle(item, { state: 'accepted', href: hrefOf(item, r), errors: undefined });
			out.sent++;
		} else {
			await settle(item, {
				state: 'rejected',
				message: r.message ?? `${r.status}`,
				errors: r.errors
			});
			out.rejected++;
		}
	}
	return out;
}

const DAY = 24 * 3600 * 1000;

/**
 * Sends the waiting items of `user` in order: runs of reports as one batched request, other items
 * one by one. One run at a time across tabs; a second caller waits for the first and then finds
 * nothing left to send.
 */
export async function syncOutbox(user: string): Promise<SyncReport> {
	const run = async (): Promise<SyncReport> => {
		const report: SyncReport = { sent: 0, rejected: 0, stopped: null };
		let batch: OutboxItem[] = [];
		const flush = async () => {
			if (!batch.length) return;
			const r = await sendBatch(batch);
			batch = [];
			report.sent += r.sent;
			report.rejected += r.rejected;
			report.stopped = r.stopped;
		};
		for (const item of await listOutbox(user)) {
			// Receipts of accepted items are kept a day, for the user to see what went.
			if (item.state === 'accepted' && Date.now() - Date.parse(item.settled ?? item.created) > DAY)
				await removeItem(item.id);
			if (item.state !== 'waiting') continue;
			if (item.kind === 'incident' && item.url === '/api/v1/incidents/report') {
				batch.push(item);
				if (batch.length >= BATCH_SIZE) await flush();
				if (report.stopped) break;
				continue;
			}
			await flush(); // keep the order: reports queued before this item go first
			if (report.stopped) break;
			const r = await sendOne(item);
			if (r === 'sent') report.sent++;
			else if (r === 'rejected') report.rejected++;
			else {
				report.stopped = r;
				break;
			}
		}
		if (!report.stopped) await flush();
		return report;
	};
	return navigator.locks ? navigator.locks.request('terrain-outbox-sync', run) : run();
}
