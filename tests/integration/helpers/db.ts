/**
 * Test databases: every integration test runs on PGlite, and also on PostgreSQL+PostGIS when
 * TEST_DATABASE_URL is set. Each call returns fresh copies (a loaded PGlite dump, a database
 * created from a template), so test files never see each other's writes.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { PgliteAdapter } from '../../../src/lib/server/db/pglite.ts';
import { PostgresAdapter } from '../../../src/lib/server/db/postgres.ts';
import type { Adapter, AppRole, CallerUser } from '../../../src/lib/server/db/types.ts';
import { withDatabase } from '../global-setup.ts';

export interface Engine {
	name: 'pglite' | 'postgres';
	db: Adapter;
	close(): Promise<void>;
}

export type DbState = 'migrated' | 'seeded';

export async function openPglite(state: DbState): Promise<Engine> {
	const file = inject(state === 'seeded' ? 'pglite_seeded' : 'pglite_migrated');
	const db = await PgliteAdapter.fromDump(new Blob([readFileSync(file)]));
	return { name: 'pglite', db, close: () => db.close() };
}

export async function openPostgres(state: DbState): Promise<Engine | null> {
	const url = inject('pg_url');
	if (!url) return null;
	const name = `terrain_t_${randomBytes(6).toString('hex')}`;
	const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
	await admin.connect();
	await admin.query(`create database ${name} template ${inject('pg_templates')[state]}`);
	await admin.end();
	const db = await PostgresAdapter.open(withDatabase(url, name));
	return {
		name: 'postgres',
		db,
		async close() {
			await db.close();
			const a = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
			await a.connect();
			await a.query(`drop database if exists ${name} with (force)`);
			await a.end();
		}
	};
}

/** The engines to run on: always PGlite, plus PostgreSQL when TEST_DATABASE_URL is set. */
export function engineNames(): Engine['name'][] {
	return inject('pg_url') ? ['pglite', 'postgres'] : ['pglite'];
}

export async function openEngine(name: Engine['name'], state: DbState): Promise<Engine> {
	if (name === 'pglite') return openPglite(state);
	const e = await openPostgres(state);
	if (!e) throw new Error('TEST_DATABASE_URL is not set');
	return e;
}

/** Creates a user with a role (as the server would) and returns the caller to run calls as. */
export async function makeUser(
	db: Adapter,
	role: AppRole,
	email = `${role}-${randomBytes(3).toString('hex')}@test.org`
): Promise<CallerUser> {
	const u = await db.rpc<{ id: string; email: string }>(
		'private.account_upsert',
		{ p_email: email, p_role: role, p_display_name: role, p_password_hash: null },
		'service'
	);
	return { id: u.id, email: u.email, role };
}

/** One user of each role. */
export async function makeRoles(db: Adapter): Promise<Record<AppRole, CallerUser>> {
	return {
		admin: await makeUser(db, 'admin'),
		analyst: await makeUser(db, 'analyst'),
		field: await makeUser(db, 'field'),
		viewer: await makeUser(db, 'viewer')
	};
}

/**
 * Runs raw SQL as a user, under RLS, the way the seam does (set local role + claims) — for
 * testing policies on tables directly, including writes no function exposes yet. Rolls back
 * unless `commit` is set.
 */
export async function sqlAs<T = Record<string, unknown>>(
	db: Adapter,
	as: CallerUser | 'anon',
	sql: string,
	params: unknown[] = [],
	commit = false
): Promise<T[]> {
	const role = as === 'anon' ? 'anon' : 'authenticated';
	const claims = JSON.stringify(
		as === 'anon' ? { role: 'anon' } : { sub: as.id, role: 'authenticated', email: as.email }
	);
	if (db instanceof PgliteAdapter) {
		return db.db.transaction(async (tx) => {
			await tx.exec(`set local role ${role}`);
			await tx.query(`select set_config('request.jwt.claims', $1, true)`, [claims]);
			const r = await tx.query<T>(sql, params);
			if (!commit) await tx.rollback();
			return r.rows;
		}) as Promise<T[]>;
	}
	if (db instanceof PostgresAdapter) {
		const c = await db.pool.connect();
		try {
			await c.query('begin');
			await c.query(`set local role ${role}`);
			await c.query(`select set_config('request.jwt.claims', $1, true)`, [claims]);
			const r = await c.query(sql, params);
			await c.query(commit ? 'commit' : 'rollback');
			return r.rows as T[];
		} catch (e) {
			await c.query('rollback').catch(() => {});
			throw e;
		} finally {
			c.release();
		}
	}
	throw new Error('sqlAs needs a PGlite or PostgreSQL adapter');
}
