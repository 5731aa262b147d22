import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config.ts';
import type { Adapter } from './types.ts';

export interface MigrationFile {
	version: string;
	name: string;
	sql: string;
	checksum: string;
}

const FILE = /^(\d{14})_([a-z0-9_]+)\.sql$/;

export function readMigrations(dir: string): MigrationFile[] {
	return readdirSync(dir)
		.filter((f) => f.endsWith('.sql'))
		.sort()
		.map((f) => {
			const m = FILE.exec(f);
			if (!m)
				throw new ConfigError(
					`migration file name ${f} must look like 20261122000100_what_it_does.sql`
				);
			// Line endings must not change a checksum: a checkout on Windows is the same migration.
			const sql = readFileSync(join(dir, f), 'utf8').replace(/\r\n?/g, '\n');
			return {
				version: m[1],
				name: m[2],
				sql,
				checksum: createHash('sha256').update(sql).digest('hex')
			};
		});
}

export interface Applied {
	version: string;
	name: string;
	checksum: string;
}

/**
 * What to apply, or why not: a database whose recorded history differs from the files (a
 * migration edited after it was applied, or one the files no longer have, or a new file older
 * than what is applied) is refused rather than patched up.
 */
export function plan(files: MigrationFile[], applied: Applied[]): MigrationFile[] {
	const byVersion = new Map(files.map((f) => [f.version, f]));
	for (const a of applied) {
		const f = byVersion.get(a.version);
		if (!f) {
			throw new ConfigError(
				`the database has migration ${a.version}_${a.name}, which this version of Terrain does not have; use the Terrain version that created this database`
			);
		}
		if (f.checksum !== a.checksum) {
			throw new ConfigError(
				`migration ${a.version}_${a.name} was changed after it was applied to this database; migrations are append-only — restore the file or add a new migration`
			);
		}
	}
	const done = new Set(applied.map((a) => a.version));
	const last = applied.reduce((m, a) => (a.version > m ? a.version : m), '');
	const pending = files.filter((f) => !done.has(f.version));
	const early = pending.find((f) => f.version < last);
	if (early) {
		throw new ConfigError(
			`migration ${early.version}_${early.name} is older than migrations already applied (${last}); give it a newer timestamp`
		);
	}
	return pending;
}

const META = `
create schema if not exists terrain_meta;
create table if not exists terrain_meta.schema_migrations (
  version    text primary key,
  name       text not null,
  checksum   text not null,
  applied_at timestamptz not null default now()
);`;

/** Applies the bootstrap SQL and every pending migration, each in its own transaction. */
export async function migrate(
	db: Adapter,
	opts: { migrationsDir: string; bootstrapSql: string; log?: (line: string) => void }
): Promise<string[]> {
	if (db.kind === 'supabase') {
		throw new ConfigError('in Supabase mode apply migrations with `supabase db push`');
	}
	const log = opts.log ?? (() => {});
	const files = readMigrations(opts.migrationsDir);

	const [{ terrain, tables }] = await db.queryOwner<{ terrain: boolean; tables: number }>(
		`select exists (select 1 from pg_namespace where nspname = 'terrain_meta') as terrain,
		        (select count(*)::int from pg_tables where schemaname = 'public' and tablename <> 'spatial_ref_sys') as tables`
	);
	if (!terrain && tables > 0) {
		throw new ConfigError(
			'this database already has tables and is not a Terrain database; use an empty database for Terrain'
		);
	}
	const [{ available }] = await db.queryOwner<{ available: boolean }>(
		`select exists (select 1 from pg_available_extensions where name = 'postgis') as available`
	);
	if (!available) {
		throw new ConfigError(
			'PostGIS is not installed on this PostgreSQL server; install PostGIS 3 (Debian: apt-get install postgresql-15-postgis-3) and start again'
		);
	}

	await db.execOwner(opts.bootstrapSql);
	await db.execOwner(META);
	const applied = await db.queryOwner<Applied>(
		'select version, name, checksum from terrain_meta.schema_migrations order by version'
	);
	const pending = plan(files, applied);
	for (const m of pending) {
		log(`applying migration ${m.version}_${m.name}`);
		// One simple-protocol message: PostgreSQL runs it as a single implicit transaction, so a
		// migration and its history row land together or not at all. (Migrations therefore must
		// not contain begin/commit.)
		const record = `insert into terrain_meta.schema_migrations (version, name, checksum) values ('${m.version}', '${m.name}', '${m.checksum}');`;
		try {
			await db.execOwner(`${m.sql}\n;\n${record}`);
		} catch (e) {
			throw new ConfigError(`migration ${m.version}_${m.name} failed: ${(e as Error).message}`);
		}
	}
	return pending.map((m) => `${m.version}_${m.name}`);
}
