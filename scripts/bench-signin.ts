/**
 * Sign-in timing for a known email with a wrong password against an unknown email: the two must
 * not tell an attacker which emails have accounts (issue 10). Prints the median, min and max of
 * each, and their ratio. Each attempt comes from its own address and the account's failure
 * counter is cleared between attempts, so the limits (5 per account) never answer instead.
 *
 *   npx tsx scripts/bench-signin.ts [--runs 40]            # PGlite in memory
 *   DATABASE_URL=postgres://… npx tsx scripts/bench-signin.ts   # a scratch PostgreSQL database
 *
 * It adds a user bench-signin@terrain.test and writes throttle rows: never point it at a database
 * that matters.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PgliteAdapter } from '../src/lib/server/db/pglite.ts';
import { PostgresAdapter } from '../src/lib/server/db/postgres.ts';
import { migrate } from '../src/lib/server/db/migrate.ts';
import { setDb } from '../src/lib/server/db/index.ts';
import type { Adapter } from '../src/lib/server/db/types.ts';
import { signIn } from '../src/lib/server/auth/session.ts';
import { hashPassword } from '../src/lib/server/auth/password.ts';

const ROOT = join(import.meta.dirname, '..');
const arg = (name: string) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : undefined;
};
const RUNS = Number(arg('runs') ?? 40);
const KNOWN = 'bench-signin@terrain.test';

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

function stats(label: string, ms: number[]): number {
	const s = [...ms].sort((a, b) => a - b);
	const median = s[Math.floor(s.length / 2)];
	console.log(
		`${label.padEnd(34)} median ${median.toFixed(1)} ms  (min ${s[0].toFixed(1)}, max ${s[s.length - 1].toFixed(1)}, n=${s.length})`
	);
	return median;
}

const db = await open();
setDb(db);
await db.queryOwner(`delete from public.app_users where email = $1`, [KNOWN]);
await db.rpc(
	'private.account_create',
	{
		p_email: KNOWN,
		p_role: 'viewer',
		p_display_name: 'bench',
		p_password_hash: await hashPassword('the real bench password')
	},
	'service'
);

const known: number[] = [];
const unknown: number[] = [];
// Interleaved, so that drift (caches, other load) falls on both alike; one warm-up of each.
for (let i = -1; i < RUNS; i++) {
	for (const which of ['known', 'unknown'] as const) {
		await db.queryOwner(`delete from private.signin_throttle where key = $1`, [`account:${KNOWN}`]);
		const email = which === 'known' ? KNOWN : `nobody-${i}-${Date.now()}@terrain.test`;
		const t = performance.now();
		const r = await signIn(email, 'a wrong password', `192.0.2.${(i + 2) % 250}`, 'bench');
		const ms = performance.now() - t;
		if (r.ok || r.reason !== 'failed') throw new Error(`unexpected answer: ${JSON.stringify(r)}`);
		if (i >= 0) (which === 'known' ? known : unknown).push(ms);
	}
	// Addresses are reused after 250 rounds: keep them under their limit too.
	await db.queryOwner(`delete from private.signin_throttle where key like 'address:%'`);
}
const a = stats('known email, wrong password', known);
const b = stats('unknown email', unknown);
console.log(`ratio known/unknown: ${(a / b).toFixed(2)}`);
await db.close();
