/**
 * Boots and migrates PGlite+PostGIS once per test run (≈12 s), loads the demo data into a second
 * copy, and saves both with dumpDataDir(); each test file then starts from a copy (≈4 s) instead
 * of paying the boot for itself. With TEST_DATABASE_URL (CI sets it) the same two states are
 * made as template databases on the real PostgreSQL+PostGIS server.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { PgliteAdapter } from '../../src/lib/server/db/pglite.ts';
import { PostgresAdapter } from '../../src/lib/server/db/postgres.ts';
import { migrate } from '../../src/lib/server/db/migrate.ts';
import type { Adapter } from '../../src/lib/server/db/types.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(ROOT, '.terrain-test');
/** Per run, so that two runs against one server (two checkouts, two developers) do not collide. */
const RUN = `${process.pid}_${Date.now().toString(36)}`;
const TEMPLATES = {
	migrated: `terrain_tpl_migrated_${RUN}`,
	seeded: `terrain_tpl_seeded_${RUN}`
} as const;
export type PgTemplates = { migrated: string; seeded: string };

async function prepare(db: Adapter, seeded: boolean) {
	await migrate(db, {
		migrationsDir: join(ROOT, 'supabase', 'migrations'),
		bootstrapSql: readFileSync(join(ROOT, 'src', 'lib', 'server', 'db', 'bootstrap.sql'), 'utf8')
	});
	if (seeded) {
		const { seedDemo } = await import('../../src/lib/server/seed/index.ts');
		await seedDemo(db, { seedDir: join(ROOT, 'supabase', 'seed') });
	}
}

export function withDatabase(url: string, database: string): string {
	const u = new URL(url);
	u.pathname = `/${database}`;
	return u.toString();
}

async function dropTemplates(url: string) {
	const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
	await admin.connect();
	try {
		for (const name of Object.values(TEMPLATES))
			await admin.query(`drop database if exists ${name} with (force)`);
	} finally {
		await admin.end();
	}
}

async function pgTemplates(url: string) {
	const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
	await admin.connect();
	try {
		for (const [state, name] of Object.entries(TEMPLATES)) {
			if (state === 'seeded' && !existsSync(join(ROOT, 'src', 'lib', 'server', 'seed', 'index.ts')))
				continue;
			await admin.query(`drop database if exists ${name} with (force)`);
			await admin.query(`create database ${name}`);
			const db = await PostgresAdapter.open(withDatabase(url, name));
			try {
				await prepare(db, state === 'seeded');
			} finally {
				await db.close();
			}
		}
	} finally {
		await admin.end();
	}
}

export default async function setup(project: TestProject) {
	mkdirSync(OUT, { recursive: true });
	const pgUrl = process.env.TEST_DATABASE_URL;
	const pgDone = pgUrl ? pgTemplates(pgUrl) : Promise.resolve();

	for (const state of ['migrated', 'seeded'] as const) {
		// Until the demo-data loader exists there is no seeded state to offer.
		if (state === 'seeded' && !existsSync(join(ROOT, 'src', 'lib', 'server', 'seed', 'index.ts')))
			continue;
		const db = await PgliteAdapter.open(undefined);
		await prepare(db, state === 'seeded');
		const dump = await db.dumpDataDir('gzip');
		const file = join(OUT, `pglite-${state}.tar.gz`);
		writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
		await db.close();
		project.provide(`pglite_${state}`, file);
	}
	await pgDone;
	project.provide('pg_url', pgUrl ?? '');
	project.provide('pg_templates', TEMPLATES);
	return async () => {
		if (pgUrl) await dropTemplates(pgUrl);
	};
}

declare module 'vitest' {
	export interface ProvidedContext {
		pglite_migrated: string;
		pglite_seeded: string;
		pg_url: string;
		pg_templates: PgTemplates;
	}
}
