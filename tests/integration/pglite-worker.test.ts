/**
 * The embedded engine in its worker thread (issue 16 point 5): PGlite's WASM blocks the thread it
 * runs on for as long as a call takes, so it runs in a worker and the server's event loop stays
 * free. These check that the adapter keeps its behaviour across the thread boundary: errors with
 * their SQLSTATE, idempotency, calls dropped when their client left, LISTEN, and a data directory
 * synced after each call, locked while open, and whole after a reopen.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { PgliteAdapter } from '../../src/lib/server/db/pglite.ts';
import { WorkerEngine } from '../../src/lib/server/db/pglite-remote.ts';
import { DataDirBusyError } from '../../src/lib/server/db/lock.ts';
import { DbError } from '../../src/lib/server/db/types.ts';
import { makeUser } from './helpers/db.ts';

// Long enough (about a second) that a blocked event loop could not hide it.
const HEAVY = 'select count(*)::int as n from generate_series(1, 4000000)';
const PROBE = `
	create table if not exists probe (id serial primary key, v text);
	create or replace function public.probe_add(p_v text) returns jsonb language sql as
	$$ insert into probe (v) values (p_v) returning to_jsonb(probe.id) $$;`;

describe('PGlite in a worker thread', () => {
	let db: PgliteAdapter;
	beforeAll(async () => {
		const dump = new Blob([readFileSync(inject('pglite_migrated'))]);
		db = await PgliteAdapter.fromDump(dump, { worker: true });
		await db.execOwner(PROBE);
	}, 120_000);
	afterAll(async () => db?.close());

	it('leaves the event loop free while a long call runs', async () => {
		let ticks = 0;
		const timer = setInterval(() => ticks++, 5);
		try {
			const [{ n }] = await db.queryOwner<{ n: number }>(HEAVY);
			expect(n).toBe(4_000_000);
		} finally {
			clearInterval(timer);
		}
		// In this thread the WASM would have held the loop for the whole call: no tick at all.
		expect(ticks).toBeGreaterThan(0);
	});

	it('runs calls as their caller and brings errors back as DbErrors with their code', async () => {
		const viewer = await makeUser(db, 'viewer');
		expect(await db.rpc('me', {}, viewer)).toMatchObject({ id: viewer.id, role: 'viewer' });
		const refused = await db.rpc('areas_list', {}, 'anon').catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(DbError);
		expect(refused).toMatchObject({ code: '42501' });
		await expect(db.queryOwner('select 1/0')).rejects.toMatchObject({ code: '22012' });
	});

	it('answers a retried idempotent call with the first answer', async () => {
		const first = await db.rpc('probe_add', { p_v: 'once' }, 'service', { idempotencyKey: 'k1' });
		const again = await db.rpc('probe_add', { p_v: 'once' }, 'service', { idempotencyKey: 'k1' });
		expect(again).toEqual(first);
		await expect(
			db.rpc('probe_add', { p_v: 'other' }, 'service', { idempotencyKey: 'k1' })
		).rejects.toMatchObject({ code: 'P0422' });
		const rows = await db.queryOwner(`select 1 from probe where v = 'once'`);
		expect(rows).toHaveLength(1);
	});

	it('drops a queued call whose client went away', async () => {
		const heavy = db.queryOwner(HEAVY);
		const client = new AbortController();
		const left = db.rpc('probe_add', { p_v: 'left' }, 'service', { signal: client.signal });
		client.abort();
		await expect(left).rejects.toMatchObject({ code: '57014' });
		await heavy;
		expect(await db.queryOwner(`select 1 from probe where v = 'left'`)).toHaveLength(0);
	});

	it('delivers notifications to a listener in this thread', async () => {
		const got: string[] = [];
		const stop = await db.listen('probe_channel', (p) => got.push(p));
		await db.execOwner(`notify probe_channel, 'hello'`);
		await expect.poll(() => got).toEqual(['hello']);
		await stop();
		await db.execOwner(`notify probe_channel, 'again'`);
		await db.queryOwner('select 1');
		expect(got).toEqual(['hello']);
	});
});

describe('PGlite in a worker thread on a data directory', () => {
	const dir = mkdtempSync(join(tmpdir(), 'terrain-worker-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('syncs each call, holds the lock while open, and keeps what it committed', async () => {
		const data = join(dir, 'data');
		const db = await PgliteAdapter.open(data, { worker: true });
		try {
			await expect(PgliteAdapter.open(data, { worker: true })).rejects.toBeInstanceOf(
				DataDirBusyError
			);
			await db.execOwner(PROBE);
			const before = db.durability!.syncs;
			await db.rpc('probe_add', { p_v: 'kept' }, 'service');
			expect(db.durability!.syncs).toBeGreaterThan(before);
		} finally {
			await db.close();
		}
		const again = await PgliteAdapter.open(data, { worker: true });
		try {
			expect(await again.queryOwner(`select v from probe`)).toEqual([{ v: 'kept' }]);
		} finally {
			await again.close();
		}
		await expect(again.queryOwner('select 1')).rejects.toThrow(/closed/);
	}, 180_000);
});

describe('a PGlite worker that dies', () => {
	const dir = mkdtempSync(join(tmpdir(), 'terrain-worker-dies-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('fails the call it was running, says so once, and the next call reopens the database', async () => {
		const db = await PgliteAdapter.open(join(dir, 'data'), { worker: true });
		const log = vi.spyOn(console, 'error').mockImplementation(() => {});
		try {
			await db.execOwner(PROBE);
			await db.rpc('probe_add', { p_v: 'before' }, 'service');
			const heard: string[] = [];
			await db.listen('probe_channel', (p) => heard.push(p));
			let stopped = 0;
			db.onEngineStop(() => stopped++);

			const engine = db.engine as WorkerEngine;
			const running = db.queryOwner(HEAVY).then(
				() => 'answered',
				(e: unknown) => e
			);
			const queued = db.rpc('probe_add', { p_v: 'queued' }, 'service');
			await new Promise((r) => setTimeout(r, 150));
			await engine.thread!.terminate(); // a real kill, mid-call

			const failed = await running;
			expect(failed).toBeInstanceOf(DbError);
			expect(failed).toMatchObject({ code: '57P02', httpStatus: 503 });
			expect((failed as Error).message).toMatch(/worker stopped .* the next call reopens it/);
			expect(stopped).toBe(1);
			expect(log.mock.calls.filter(([l]) => /worker stopped/.test(String(l)))).toHaveLength(1);

			// The queued call was not sent to the dead worker: it reopens the database and runs.
			expect(await queued).toEqual(expect.any(Number));
			expect(engine.restarts).toBe(1);
			expect(await db.queryOwner('select v from probe order by id')).toEqual([
				{ v: 'before' },
				{ v: 'queued' }
			]);
			// The LISTEN made before the death still hears.
			await db.execOwner(`notify probe_channel, 'after'`);
			await expect.poll(() => heard).toEqual(['after']);
			expect(log.mock.calls.filter(([l]) => /worker stopped/.test(String(l)))).toHaveLength(1);
		} finally {
			log.mockRestore();
			await db.close();
		}
	}, 180_000);
});
