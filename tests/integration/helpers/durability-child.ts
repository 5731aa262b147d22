/**
 * Run by durability.test.ts under strace: opens the embedded engine on the data directory given
 * in argv, then makes N committing calls through the adapter, writing a marker line to stdout
 * (a `write(1, …)` in the trace) before each call and after each answer, so the trace shows
 * which syncs happened between a call and its answer.
 */
import { writeSync } from 'node:fs';
import { PgliteAdapter } from '../../../src/lib/server/db/pglite.ts';

const [dir, n] = [process.argv[2], Number(process.argv[3] ?? 10)];
const mark = (s: string) => writeSync(1, `@@${s}\n`);
const db = await PgliteAdapter.open(dir);
// `nosync`: stop tracking (what the engine did before), to measure what syncing costs.
if (process.argv[4] === 'nosync') db.durability?.close();
await db.execOwner(`
	create table if not exists probe (id serial primary key, v text);
	create or replace function public.probe_add(p_v text) returns jsonb language sql as
	$$ insert into probe (v) values (p_v) returning to_jsonb(probe.id) $$;`);
const t0 = performance.now();
const before = { syncs: db.durability?.syncs ?? 0, ms: db.durability?.flushMs ?? 0 };
for (let i = 0; i < n; i++) {
	mark(`call ${i}`);
	await db.rpc('probe_add', { p_v: `row ${i}` }, 'service');
	mark(`answer ${i}`);
}
const ms = (performance.now() - t0) / n;
mark(`read`);
await db.rpc('probe_count', {}, 'service').catch(() => null);
const d = db.durability;
mark(
	`done ${JSON.stringify({
		ms_per_write: ms,
		syncs_per_write: d ? (d.syncs - before.syncs) / n : 0,
		sync_ms_per_write: d ? (d.flushMs - before.ms) / n : 0
	})}`
);
await db.close();
