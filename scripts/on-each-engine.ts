/**
 * The engine loop every database benchmark shares: the embedded PGlite (a fresh in-memory one),
 * and a scratch database on the PostgreSQL at BENCH_DATABASE_URL or TEST_DATABASE_URL, created
 * for the run and dropped after it even when the run fails. `engines` is what the script asks
 * for (BENCH_ENGINES in each script, with its own default). Not named bench-*: `npm run bench`
 * runs every scripts/bench-* file.
 */
import pg from 'pg';
import { PgliteAdapter } from '../src/lib/server/db/pglite.ts';
import { PostgresAdapter } from '../src/lib/server/db/postgres.ts';
import type { Adapter } from '../src/lib/server/db/types.ts';

export async function onEachEngine(
	scratch: string,
	engines: string[],
	run: (label: string, db: Adapter) => Promise<void>
): Promise<void> {
	const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
	if (engines.includes('pglite')) {
		const pglite = await PgliteAdapter.open(undefined);
		try {
			await run('PGlite + PostGIS (embedded)', pglite);
		} finally {
			await pglite.close();
		}
	}
	if (!engines.includes('postgres')) return;
	if (!pgUrl) {
		console.log('\n(PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
		return;
	}
	const u = new URL(pgUrl);
	u.pathname = '/postgres';
	const admin = new pg.Client({ connectionString: u.toString() });
	await admin.connect();
	await admin.query(`drop database if exists ${scratch} with (force)`);
	await admin.query(`create database ${scratch}`);
	u.pathname = `/${scratch}`;
	const db = await PostgresAdapter.open(u.toString());
	try {
		await run('PostgreSQL 15 + PostGIS 3', db);
	} finally {
		await db.close();
		await admin.query(`drop database if exists ${scratch} with (force)`);
		await admin.end();
	}
}
