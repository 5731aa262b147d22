/**
 * What the audit log's hash chain costs: one transaction writing N audited rows (each becomes an
 * audit row, hashed and linked at commit) against the same rows written with the row audit paused,
 * and `audit_verify` over the whole chain.
 *
 *   npx tsx scripts/bench-audit.ts [--rows 5000]                       # PGlite in memory
 *   DATABASE_URL=postgres://… npx tsx scripts/bench-audit.ts            # a scratch, migrated database
 *
 * It writes synthetic actors (upstream_source 'bench-audit'): never point it at a database that matters.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PgliteAdapter } from '../src/lib/server/db/pglite.ts';
import { PostgresAdapter } from '../src/lib/server/db/postgres.ts';
import { migrate } from '../src/lib/server/db/migrate.ts';
import { verifyAuditChain } from '../src/lib/server/audit/index.ts';
import type { Adapter } from '../src/lib/server/db/types.ts';

const ROOT = join(import.meta.dirname, '..');
const i = process.argv.indexOf('--rows');
const ROWS = i > 0 ? Number(process.argv[i + 1]) : 5000;

async function open(): Promise<Adapter> {
	const url = process.env.DATABASE_URL;
	if (url) return PostgresAdapter.open(url);
	const db = await PgliteAdapter.open(undefined);
	await migrate(db, {
		migrationsDir: join(ROOT, 'supabase', 'migrations'),
		bootstrapSql: readFileSync(join(ROOT, 'src', 'lib', 'server', 'db', 'bootstrap.sql'), 'utf8')
	});
	return db;
}

const insert = (tag: string, paused: boolean) => `begin;
${paused ? 'insert into private.audit_pause (xid) values (txid_current());' : ''}
insert into public.actors (name, actor_type, notes, upstream_source)
select 'Bench ${tag} ' || g, 'authority', repeat('note ', 20), 'bench-audit' from generate_series(1, ${ROWS}) g;
commit;`;

async function timed(label: string, fn: () => Promise<unknown>) {
	const t = performance.now();
	await fn();
	console.log(`${label.padEnd(48)} ${(performance.now() - t).toFixed(0)} ms`);
}

const db = await open();
try {
	await timed(`${ROWS} rows, row audit paused`, () => db.execOwner(insert('paused', true)));
	await timed(`${ROWS} rows, audited and chained`, () => db.execOwner(insert('chained', false)));
	const [{ n }] = await db.queryOwner<{ n: number }>(
		'select count(*)::int as n from public.audit_log'
	);
	await timed(`verify the whole chain (${n} entries)`, async () => {
		const v = await verifyAuditChain(db);
		if (!v.ok) throw new Error(v.problem?.message);
	});
	await db.execOwner(`begin; insert into private.audit_pause (xid) values (txid_current());
		delete from public.actors where upstream_source = 'bench-audit'; commit;`);
} finally {
	await db.close();
}
