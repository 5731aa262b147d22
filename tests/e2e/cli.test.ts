// The command line as an operator meets it: wrong settings get one clear line and exit 1, and
// nothing that is not Terrain's gets touched. No browser; each case spawns `node bin/terrain.js`
// with its own temp data directory (a PGlite+PostGIS boot is 3–15 s, so the cases are few).
import { createServer, type Server } from 'node:net';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, type CliResult } from './helpers/cli.ts';

const dirs: string[] = [];
const scratch = () => {
	const d = tempDir('terrain-e2e-cli-');
	dirs.push(d);
	return d;
};
afterAll(() => {
	for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Exit 1 and exactly one line on stderr, starting with "terrain: ". */
function expectOneLineFailure(r: CliResult, pattern: RegExp): void {
	const seen = `exit ${r.code}\n--- stderr\n${r.stderr}\n--- stdout\n${r.stdout}`;
	expect(r.code, seen).toBe(1);
	expect(r.lines, seen).toHaveLength(1);
	expect(r.lines[0], seen).toMatch(/^terrain: /);
	expect(r.lines[0], seen).toMatch(pattern);
}

describe('a TERRAIN_DATA_DIR that is not a Terrain database', () => {
	it('is refused when it is a folder with other files in it, and nothing in it changes', async () => {
		const dir = scratch();
		const file = join(dir, 'field-notes.txt');
		writeFileSync(file, 'not a database\n');
		const before = statSync(file).mtimeMs;
		const r = await runCli(['migrate'], { TERRAIN_DATA_DIR: dir });
		expectOneLineFailure(r, /TERRAIN_DATA_DIR/);
		expect(r.lines[0]).toMatch(/not a Terrain database/);
		expect(readdirSync(dir)).toEqual(['field-notes.txt']);
		expect(readFileSync(file, 'utf8')).toBe('not a database\n');
		expect(statSync(file).mtimeMs).toBe(before);
	});

	it('is refused when it is a file, and the file stays as it was', async () => {
		const file = join(scratch(), 'terrain.db');
		writeFileSync(file, 'my spreadsheet export\n');
		const r = await runCli(['migrate'], { TERRAIN_DATA_DIR: file });
		expectOneLineFailure(r, /TERRAIN_DATA_DIR/);
		expect(readFileSync(file, 'utf8')).toBe('my spreadsheet export\n');
	});
});

describe('database and port settings', () => {
	it('says it cannot connect when DATABASE_URL points nowhere', async () => {
		const r = await runCli(['migrate'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x' });
		expectOneLineFailure(r, /cannot connect to DATABASE_URL/);
	});

	it('says the port is in use when PORT is taken, before touching the database', async () => {
		const blocker: Server = createServer();
		await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
		const port = (blocker.address() as { port: number }).port;
		const dir = scratch();
		try {
			const r = await runCli(['serve'], {
				TERRAIN_DATA_DIR: dir,
				PORT: String(port),
				HOST: '127.0.0.1'
			});
			expectOneLineFailure(r, new RegExp(`port ${port} is already in use`));
			expect(readdirSync(dir)).toEqual([]);
		} finally {
			blocker.close();
		}
	});
});

describe('user and token commands on a fresh embedded database', () => {
	const env = { TERRAIN_DATA_DIR: '' };
	beforeAll(async () => {
		env.TERRAIN_DATA_DIR = scratch();
		const r = await runCli(['migrate'], env);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toMatch(/schema is up to date/);
	});

	it('refuses an unknown role, naming the roles there are', async () => {
		const r = await runCli(
			[
				'user',
				'add',
				'--email',
				'someone@example.org',
				'--role',
				'superuser',
				'--password',
				'long-enough-password'
			],
			env
		);
		expectOneLineFailure(r, /--role must be one of admin, analyst, field, viewer/);
	});

	it('refuses an email address that is not one', async () => {
		const r = await runCli(
			[
				'user',
				'add',
				'--email',
				'not-an-email',
				'--role',
				'viewer',
				'--password',
				'long-enough-password'
			],
			env
		);
		expectOneLineFailure(r, /--email must be an email address/);
	});

	it('refuses a token for an unknown user', async () => {
		const r = await runCli(['token', 'create', '--user', 'ghost@example.org'], env);
		expectOneLineFailure(r, /ghost@example\.org/);
	});

	it('adds a user and prints a token for them, alone on stdout', async () => {
		const add = await runCli(
			[
				'user',
				'add',
				'--email',
				'Field.Officer@Example.org',
				'--role',
				'field',
				'--password',
				'long-enough-password'
			],
			env
		);
		expect(add.code, add.stderr).toBe(0);
		expect(add.stdout).toMatch(/user field\.officer@example\.org \(field\) is ready/);
		expect(add.stdout).not.toContain('long-enough-password');

		const tok = await runCli(
			['token', 'create', '--user', 'field.officer@example.org', '--name', 'reports'],
			env
		);
		expect(tok.code, tok.stderr).toBe(0);
		// Only the token on stdout, so `TOKEN=$(terrain token create …)` works; the advice goes to stderr.
		expect(tok.stdout.trim()).toMatch(/^trt_[A-Za-z0-9_-]{43}$/);
		expect(tok.stderr).toMatch(/shown only once/);
	});
});

// Only where a real PostgreSQL is available (CI sets TEST_DATABASE_URL); no skipped tests elsewhere.
const pgUrl = process.env.TEST_DATABASE_URL;
if (pgUrl) {
	describe('a PostgreSQL database that belongs to something else (TEST_DATABASE_URL)', () => {
		const name = `terrain_e2e_foreign_${process.pid}_${Date.now()}`;
		const url = new URL(pgUrl);
		url.pathname = `/${name}`;
		const admin = new pg.Client({ connectionString: pgUrl });

		beforeAll(async () => {
			await admin.connect();
			await admin.query(`create database ${name}`);
			const other = new pg.Client({ connectionString: url.toString() });
			await other.connect();
			await other.query(
				`create table invoices (id serial primary key, amount numeric); insert into invoices (amount) values (12.5)`
			);
			await other.end();
		});
		afterAll(async () => {
			await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
			await admin.end();
		});

		it('is refused as "not a Terrain database" and left as it was', async () => {
			const r = await runCli(['migrate'], { DATABASE_URL: url.toString() });
			expectOneLineFailure(r, /not a Terrain database/);
			const other = new pg.Client({ connectionString: url.toString() });
			await other.connect();
			try {
				const { rows } = await other.query(
					`select (select count(*)::int from invoices) as invoices,
					        exists (select 1 from pg_namespace where nspname = 'terrain_meta') as terrain_meta`
				);
				expect(rows[0]).toEqual({ invoices: 1, terrain_meta: false });
			} finally {
				await other.end();
			}
		});
	});
}
