import { readFileSync } from 'node:fs';
import { dbConfig } from '../lib/server/config.ts';
import { openDb } from '../lib/server/db/index.ts';
import { migrate } from '../lib/server/db/migrate.ts';
import type { Adapter } from '../lib/server/db/types.ts';
import { BOOTSTRAP_SQL, MIGRATIONS_DIR } from './paths.ts';

export function describeDb(): string {
	const c = dbConfig();
	if (c.mode === 'embedded') return `embedded PostgreSQL+PostGIS in ${c.dataDir}`;
	if (c.mode === 'postgres') {
		const u = new URL(c.url);
		return `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}`;
	}
	return `Supabase project ${c.url}`;
}

/** Opens the configured database and brings its schema up to date (not in Supabase mode). */
export async function openMigrated(log: (s: string) => void): Promise<Adapter> {
	const db = await openDb();
	if (db.kind === 'supabase') return db;
	try {
		const applied = await migrate(db, {
			migrationsDir: MIGRATIONS_DIR,
			bootstrapSql: readFileSync(BOOTSTRAP_SQL, 'utf8'),
			log
		});
		if (applied.length) log(`applied ${applied.length} migration(s)`);
	} catch (e) {
		await db.close().catch(() => {});
		throw e;
	}
	return db;
}
