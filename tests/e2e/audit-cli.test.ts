/**
 * `terrain audit verify` as an operator runs it: exit 0 on a fresh database, exit 1 naming the
 * entry after the database owner edited one audit row — on the embedded database and, when
 * TEST_DATABASE_URL is set, on PostgreSQL through DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PgliteAdapter } from '../../src/lib/server/db/pglite.ts';
import { cli, runCli, tempDir } from './helpers/cli.ts';

async function freshWithUsers(env: Record<string, string>) {
	await cli(['migrate'], env);
	for (const role of ['admin', 'viewer'])
		await cli(
			[
				'user',
				'add',
				'--email',
				`${role}@audit.test`,
				'--role',
				role,
				'--password',
				'audit-cli-pass-1'
			],
			env
		);
}

describe('terrain audit verify on the embedded database', () => {
	const dir = tempDir('terrain-e2e-audit-');
	const env = { TERRAIN_DATA_DIR: dir };

	it('exits 0 on a fresh database and prints the chain head', async () => {
		await freshWithUsers(env);
		const r = await runCli(['audit', 'verify'], env);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toMatch(/audit log OK: \d+ entries, chain head \d+ [0-9a-f]{64}/);
	});

	it('exits 1 naming the entry the owner changed', async () => {
		const db = await PgliteAdapter.open(dir);
		await db.execOwner(`update public.audit_log set row_id = 'forged' where seq = 2`);
		await db.close();
		const r = await runCli(['audit', 'verify'], env);
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(/audit log BROKEN \(changed\): entry 2 \(id \d+, .*\) was changed/);
	});
});

const PG = process.env.TEST_DATABASE_URL;
describe.skipIf(!PG)('terrain audit verify through DATABASE_URL', () => {
	const name = `terrain_audit_cli_${randomBytes(4).toString('hex')}`;
	const url = (db: string) => {
		const u = new URL(PG!);
		u.pathname = `/${db}`;
		return u.toString();
	};
	const admin = async (sql: string, db = 'postgres') => {
		const c = new pg.Client({ connectionString: url(db) });
		await c.connect();
		try {
			await c.query(sql);
		} finally {
			await c.end();
		}
	};
	afterAll(async () => admin(`drop database if exists ${name} with (force)`));

	it('exits 0, then 1 after the owner deletes an entry', async () => {
		await admin(`create database ${name}`);
		const env = { DATABASE_URL: url(name) };
		await freshWithUsers(env);
		expect((await runCli(['audit', 'verify'], env)).code).toBe(0);
		await admin(`delete from public.audit_log where seq = 1`, name);
		const r = await runCli(['audit', 'verify'], env);
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(/BROKEN \(missing\): entry 1 is missing/);
	});
});
