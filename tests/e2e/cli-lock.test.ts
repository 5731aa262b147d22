/**
 * One writer per embedded data directory: the CLI next to a running server does not write the
 * files behind its back. `terrain user add` is carried out by the server (over localhost with the
 * local admin token from terrain.lock), the user exists after the server stops, and commands that
 * cannot be routed are refused with one line.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.ts';
import { startServe, type Serve } from './helpers/serve.ts';

const dir = join(tempDir('terrain-lock-'), 'data');
const env = { TERRAIN_DATA_DIR: dir };
const EMAIL = 'lock.viewer@example.org';
const PASSWORD = 'correct horse battery staple';
let server: Serve | null = null;

beforeAll(async () => {
	server = await startServe({
		...env,
		TERRAIN_DEMO_DATA: 'off',
		TERRAIN_ADMIN_EMAIL: 'lock.admin@example.org',
		TERRAIN_ADMIN_PASSWORD: 'admin password for the lock test'
	});
});
afterAll(async () => server?.kill());

describe('the CLI next to a running embedded server', () => {
	it('the data directory carries a lock only its owner can read, naming the server', () => {
		const path = join(dir, 'terrain.lock');
		expect(statSync(path).mode & 0o777).toBe(0o600);
		const lock = JSON.parse(readFileSync(path, 'utf8'));
		expect(lock.pid).toBe(server!.child.pid);
		expect(server!.url).toContain(`:${lock.port}`);
		expect(lock.token).toMatch(/^[\w-]{40,}$/);
	});

	it('`terrain user add` is carried out by the server, which knows the user at once', async () => {
		const r = await runCli(
			['user', 'add', '--email', EMAIL, '--role', 'viewer', '--password', PASSWORD],
			env
		);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toContain(`user ${EMAIL} (viewer) is ready`);
		const login = await fetch(`${server!.url}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'text/html',
				origin: server!.url
			},
			body: new URLSearchParams({ email: EMAIL, password: PASSWORD })
		});
		expect(login.status).toBe(303);
	});

	it('`terrain user list` works next to the server', async () => {
		const r = await runCli(['user', 'list'], env);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toContain(EMAIL);
	});

	it('`terrain user disable` through the server refuses their session and token at the next request', async () => {
		// The server keeps session and token look-ups in memory (src/lib/server/auth/cache.ts):
		// the CLI's change goes through the server's own database, whose triggers make it forget.
		const token = await runCli(['token', 'create', '--user', EMAIL], env);
		expect(token.code, token.stderr).toBe(0);
		const bearer = { authorization: `Bearer ${token.stdout.trim()}` };
		const login = await fetch(`${server!.url}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'text/html',
				origin: server!.url
			},
			body: new URLSearchParams({ email: EMAIL, password: PASSWORD })
		});
		const cookie = { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0] };
		for (let i = 0; i < 2; i++) {
			const byToken = await fetch(`${server!.url}/api/v1/me`, { headers: bearer });
			expect(await byToken.json()).toMatchObject({ email: EMAIL, disabled: false });
			const bySession = await fetch(`${server!.url}/api/v1/me`, { headers: cookie });
			expect(await bySession.json()).toMatchObject({ email: EMAIL, disabled: false });
		}

		const r = await runCli(['user', 'disable', EMAIL], env);
		expect(r.code, r.stderr).toBe(0);
		expect((await fetch(`${server!.url}/api/v1/me`, { headers: bearer })).status).toBe(401);
		expect((await fetch(`${server!.url}/api/v1/me`, { headers: cookie })).status).toBe(401);
	});

	it("`terrain audit verify` is checked by the server, and its answer is the CLI's", async () => {
		const r = await runCli(['audit', 'verify'], env);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toMatch(/^audit log OK: \d+ entries/m);
	});

	it('a command that cannot go through the server is refused in one line', async () => {
		const csv = join(dir, '..', 'one.csv');
		writeFileSync(csv, 'event_date,event_type,latitude,longitude\n2024-01-01,battles,36.3,43.1\n');
		const r = await runCli(['import', csv, '--into', 'incidents'], env);
		expect(r.code).toBe(1);
		expect(r.lines).toHaveLength(1);
		expect(r.lines[0]).toMatch(
			/^terrain: a Terrain server \(pid \d+, port \d+\) is using .*stop the server first/
		);
	});

	it('the local admin channel refuses a wrong token', async () => {
		const r = await fetch(`${server!.url}/api/v1/admin/cli`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-terrain-local-admin': 'guess' },
			body: JSON.stringify({ argv: ['user', 'list'] })
		});
		expect(r.status).toBe(404);
	});

	it('after the server stops, the user is there exactly once and the lock is gone', async () => {
		await server!.stop();
		server = null;
		expect(existsSync(join(dir, 'terrain.lock'))).toBe(false);
		const r = await runCli(['user', 'list'], env);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout.split('\n').filter((l) => l.startsWith(`${EMAIL}\t`))).toHaveLength(1);
	});

	it('a lock left by a dead process is taken over', async () => {
		writeFileSync(
			join(dir, 'terrain.lock'),
			JSON.stringify({ pid: 999_999, started_at: '2026-01-01T00:00:00Z', port: 1 }),
			{ mode: 0o600 }
		);
		const r = await runCli(['user', 'list'], env);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toContain(EMAIL);
		expect(existsSync(join(dir, 'terrain.lock'))).toBe(false);
	});
});
