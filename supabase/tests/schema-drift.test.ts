/**
 * supabase/schemas/ (the current definition, one file per domain) must describe exactly the
 * database that supabase/migrations/ (the append-only history) builds. Two scratch databases on
 * the real PostgreSQL+PostGIS server: one migrated through the real runner, one built from
 * bootstrap.sql + the schema files; their `pg_dump --schema-only` (privileges and RLS policies
 * kept) and their reference data must match object by object.
 *
 * Needs TEST_DATABASE_URL and pg_dump (15, to match the server); PGlite has no pg_dump.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/lib/server/db/migrate.ts';
import { PostgresAdapter } from '../../src/lib/server/db/postgres.ts';
import { withDatabase } from '../../tests/integration/global-setup.ts';
import { applySchemas, diffDumps, dumpObjects } from './schema-dump.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const URL_ = process.env.TEST_DATABASE_URL ?? '';
const PG_DUMP =
	process.env.PG_DUMP ??
	(existsSync('/usr/lib/postgresql/15/bin/pg_dump')
		? '/usr/lib/postgresql/15/bin/pg_dump'
		: 'pg_dump');

if (!URL_)
	console.warn(
		'schema-drift: skipped — set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to compare supabase/schemas/ with the migrations'
	);

describe.skipIf(!URL_)('supabase/schemas/ matches supabase/migrations/', () => {
	const tag = randomBytes(4).toString('hex');
	const names = { migrated: `terrain_drift_mig_${tag}`, schemas: `terrain_drift_sch_${tag}` };
	const bootstrapSql = readFileSync(
		join(ROOT, 'src', 'lib', 'server', 'db', 'bootstrap.sql'),
		'utf8'
	);

	async function admin<T>(f: (c: pg.Client) => Promise<T>): Promise<T> {
		const c = new pg.Client({ connectionString: withDatabase(URL_, 'postgres') });
		await c.connect();
		try {
			return await f(c);
		} finally {
			await c.end();
		}
	}

	beforeAll(async () => {
		await admin(async (c) => {
			for (const n of Object.values(names)) await c.query(`create database ${n}`);
		});
		const mig = await PostgresAdapter.open(withDatabase(URL_, names.migrated));
		const sch = await PostgresAdapter.open(withDatabase(URL_, names.schemas));
		try {
			await Promise.all([
				migrate(mig, { migrationsDir: join(ROOT, 'supabase', 'migrations'), bootstrapSql }),
				applySchemas(sch, join(ROOT, 'supabase', 'schemas'), bootstrapSql)
			]);
		} finally {
			await mig.close();
			await sch.close();
		}
	});

	afterAll(async () => {
		await admin(async (c) => {
			for (const n of Object.values(names))
				await c.query(`drop database if exists ${n} with (force)`);
		});
	});

	const dump = (db: string, mode: '--schema-only' | '--data-only') =>
		execFileSync(
			PG_DUMP,
			[mode, '--no-owner', '--exclude-schema=terrain_meta', withDatabase(URL_, db)],
			// stderr kept out of the report (pg_dump warns about the areas/incidents FK cycles in
			// data-only mode); a failing pg_dump still throws with it.
			{ encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] }
		);

	it('has the same tables, columns, indexes, policies, grants, triggers, views and functions', () => {
		const migrated = dumpObjects(dump(names.migrated, '--schema-only'));
		const schemas = dumpObjects(dump(names.schemas, '--schema-only'));
		expect(migrated.size).toBeGreaterThan(300);
		const diff = diffDumps(migrated, schemas);
		expect(diff === '', `\nsupabase/schemas/ has drifted from the migrations:\n${diff}\n`).toBe(
			true
		);
	});

	it('has the same reference data (security level scale, actor alias hints)', () => {
		const diff = diffDumps(
			dumpObjects(dump(names.migrated, '--data-only')),
			dumpObjects(dump(names.schemas, '--data-only'))
		);
		expect(
			diff === '',
			`\nreference data in supabase/schemas/ differs from the migrations:\n${diff}\n`
		).toBe(true);
	});
});
