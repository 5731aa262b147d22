import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { callerContext, rpcStatement } from './sql.ts';
import { DbError, type Adapter, type Args, type Caller } from './types.ts';
import { ConfigError } from '../config.ts';

/**
 * Refuses a data directory that is not an (empty or) PostgreSQL data directory before PGlite
 * touches it, so a wrong TERRAIN_DATA_DIR never gets overwritten.
 */
export function checkDataDir(dir: string): 'new' | 'existing' {
	if (!existsSync(dir)) return 'new';
	if (!statSync(dir).isDirectory()) {
		throw new ConfigError(
			`TERRAIN_DATA_DIR ${dir} is a file, not a directory; point TERRAIN_DATA_DIR at an empty or a Terrain data directory`
		);
	}
	const entries = readdirSync(dir);
	if (entries.length === 0) return 'new';
	if (!entries.includes('PG_VERSION') || !existsSync(join(dir, 'global'))) {
		throw new ConfigError(
			`TERRAIN_DATA_DIR ${dir} is not empty and is not a Terrain database; point TERRAIN_DATA_DIR at an empty or a Terrain data directory`
		);
	}
	return 'existing';
}

export function toDbError(e: unknown): Error {
	if (e instanceof DbError) return e;
	const err = e as { message?: string; code?: string; detail?: string };
	if (err && typeof err.message === 'string') return new DbError(err.message, err.code, err.detail);
	return e as Error;
}

/** The embedded database: PGlite with PostGIS, in this process. */
export class PgliteAdapter implements Adapter {
	readonly kind = 'embedded' as const;
	constructor(readonly db: PGlite) {}

	static async open(dataDir: string | undefined): Promise<PgliteAdapter> {
		if (dataDir) checkDataDir(dataDir);
		const { PGlite } = await import('@electric-sql/pglite');
		const { postgis } = await import('@electric-sql/pglite-postgis');
		let db: PGlite;
		try {
			db = await PGlite.create({ dataDir, extensions: { postgis } });
		} catch (e) {
			throw new ConfigError(
				`the database in ${dataDir} could not be opened (${(e as Error).message || e}); it may be corrupt — restore it from a backup or point TERRAIN_DATA_DIR at an empty directory`
			);
		}
		return new PgliteAdapter(db);
	}

	/** A copy of the database from a dumpDataDir() tarball (tests). */
	static async fromDump(dump: Blob): Promise<PgliteAdapter> {
		const { PGlite } = await import('@electric-sql/pglite');
		const { postgis } = await import('@electric-sql/pglite-postgis');
		return new PgliteAdapter(await PGlite.create({ loadDataDir: dump, extensions: { postgis } }));
	}

	async rpc<T>(fn: string, args: Args, as: Caller): Promise<T> {
		const { text, values } = rpcStatement(fn, args);
		const { role, claims } = callerContext(as);
		try {
			// One transaction per call: the role and claims are local to it, and PGlite serialises
			// transactions, so concurrent requests never see each other's identity.
			return await this.db.transaction(async (tx) => {
				if (role) await tx.exec(`set local role ${role}`);
				await tx.query(`select set_config('request.jwt.claims', $1, true)`, [claims]);
				const r = await tx.query<{ result: T }>(text, values);
				return r.rows[0]?.result as T;
			});
		} catch (e) {
			throw toDbError(e);
		}
	}

	async execOwner(sql: string): Promise<void> {
		try {
			await this.db.exec(sql);
		} catch (e) {
			throw toDbError(e);
		}
	}

	async queryOwner<T>(sql: string, params: unknown[] = []): Promise<T[]> {
		try {
			return (await this.db.query<T>(sql, params)).rows;
		} catch (e) {
			throw toDbError(e);
		}
	}

	async close(): Promise<void> {
		await this.db.close();
	}
}
