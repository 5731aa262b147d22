/**
 * One real Terrain server for the whole e2e run, started the way an operator starts it:
 *   1. build the app when build/handler.js is missing or older than the sources (as npm start does);
 *   2. in a fresh temp TERRAIN_DATA_DIR: `terrain migrate`, `terrain user add` for the analyst,
 *      field and viewer accounts, `terrain token create` for the analyst (PGlite is one process:
 *      the CLI must be done before the server opens the directory);
 *   3. `terrain serve` with PORT=0 (the ready line says which port it got), HOST=127.0.0.1 and
 *      TERRAIN_ADMIN_EMAIL/PASSWORD, so the first start also makes the admin and loads the demo data.
 * Tests read what it provides through e2e() in ./helpers/server.ts. The server's output goes to
 * test-results/e2e-server.log.
 *
 * TERRAIN_E2E_URL=http://127.0.0.1:3000 skips all of this and tests that server instead; give it
 * the accounts of ./helpers/accounts.ts and, for the CLI-token test, TERRAIN_E2E_TOKEN.
 * TERRAIN_E2E_KEEP=1 keeps the data directory after the run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { USERS, type Credentials, type Role } from './helpers/accounts.ts';
import { childEnv, cli, CLI, ROOT, tempDir } from './helpers/cli.ts';
import { E2E_IMPORT_MAX_MB } from './helpers/limits.ts';

const READY = /Terrain is ready in [\d.]+ s: (http:\/\/\S+)/;
const READY_TIMEOUT_MS = 5 * 60_000;
const RESULTS = join(ROOT, 'test-results');

const log = (s: string) => console.log(`[e2e setup] ${s}`);
const seconds = (t: number) => `${((Date.now() - t) / 1000).toFixed(1)} s`;

function newest(path: string): number {
	const s = statSync(path);
	if (!s.isDirectory()) return s.mtimeMs;
	let m = 0;
	for (const e of readdirSync(path)) m = Math.max(m, newest(join(path, e)));
	return m;
}

/** Same rule as scripts/start.js: rebuild when any input is newer than build/handler.js. */
function buildIsStale(): boolean {
	const stamp = join(ROOT, 'build', 'handler.js');
	const inputs = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'].map(
		(p) => join(ROOT, p)
	);
	const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
	return built < Math.max(...inputs.filter(existsSync).map(newest));
}

/**
 * Two e2e runs in the same tree must not write build/ at once; a lock directory (mkdir is atomic)
 * makes the second wait for the first. A lock older than 15 minutes is left from a killed run.
 */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
	const dir = join(ROOT, '.terrain-test');
	mkdirSync(dir, { recursive: true });
	const lock = join(dir, 'e2e-build.lock');
	const until = Date.now() + 20 * 60_000;
	for (;;) {
		try {
			mkdirSync(lock);
			break;
		} catch {
			if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 15 * 60_000)
				rmSync(lock, { recursive: true, force: true });
			else if (Date.now() > until)
				throw new Error(`e2e: ${lock} is held by another run; remove it if no build is running`);
			else await new Promise((r) => setTimeout(r, 1000));
		}
	}
	try {
		return await fn();
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}

async function buildIfStale(): Promise<void> {
	if (!buildIsStale()) return log('build/ is up to date');
	await withBuildLock(async () => {
		// Someone's `npm start` or `vite build` in the same tree can pull .svelte-kit/output from under
		// this build; when a build fails, wait and try once more (or find theirs fresh and use it).
		for (let attempt = 1; ; attempt++) {
			if (!buildIsStale()) return; // another run built it while we waited
			const t = Date.now();
			log('building the app (sources are newer than build/)…');
			const r = spawnSync(
				process.execPath,
				[join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'],
				{
					cwd: ROOT,
					env: childEnv({}),
					encoding: 'utf8',
					maxBuffer: 64 * 1024 * 1024
				}
			);
			if (r.status === 0) return log(`built in ${seconds(t)}`);
			if (attempt === 2) throw new Error(`e2e: the build failed\n${r.stdout}\n${r.stderr}`);
			log('the build failed; trying once more in 10 s');
			await new Promise((done) => setTimeout(done, 10_000));
		}
	});
}

interface Server {
	child: ChildProcess;
	url: string;
}

/** Starts `terrain serve` in its own process group and resolves with its URL once it is ready. */
function startServer(env: Record<string, string>): Promise<Server> {
	mkdirSync(RESULTS, { recursive: true });
	const logFile = join(RESULTS, 'e2e-server.log');
	const out = createWriteStream(logFile);
	const child = spawn(process.execPath, [CLI, 'serve'], {
		cwd: ROOT,
		env: childEnv(env),
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true // its own process group, so teardown can end it and anything it started
	});
	let tail = '';
	const keep = (d: string) => {
		out.write(d);
		tail = (tail + d).slice(-4000);
	};
	child.stdout!.setEncoding('utf8');
	child.stderr!.setEncoding('utf8').on('data', keep);
	child.once('exit', () => out.end());
	return new Promise((resolve, reject) => {
		let buffered = '';
		const fail = (why: string) => {
			clearTimeout(timer);
			killGroup(child);
			reject(new Error(`e2e: terrain serve ${why}; see ${logFile}\n${tail}`));
		};
		const timer = setTimeout(
			() => fail(`was not ready within ${READY_TIMEOUT_MS / 1000} s`),
			READY_TIMEOUT_MS
		);
		child.stdout!.on('data', (d: string) => {
			keep(d);
			buffered += d;
			const m = READY.exec(buffered);
			if (m) {
				clearTimeout(timer);
				buffered = '';
				resolve({ child, url: m[1].replace(/\/$/, '') });
			}
		});
		child.once('exit', (code, signal) =>
			fail(`exited (code ${code}, signal ${signal}) before it was ready`)
		);
		child.once('error', (e) => fail(`could not start: ${e.message}`));
	});
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

async function stopServer(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	killGroup(child, 'SIGTERM');
	// Within vitest's default teardownTimeout (10 s).
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 6_000);
	await exited;
	clearTimeout(timer);
}

export default async function setup(project: TestProject) {
	const reuse = process.env.TERRAIN_E2E_URL;
	if (reuse) {
		log(`testing the server at ${reuse} (TERRAIN_E2E_URL); nothing is built or started`);
		project.provide('e2eBaseUrl', reuse.replace(/\/$/, ''));
		project.provide('e2eUsers', USERS);
		project.provide('e2eDataDir', '');
		project.provide('e2eCliToken', process.env.TERRAIN_E2E_TOKEN ?? '');
		return;
	}

	const started = Date.now();
	await buildIfStale();

	const dataDir = tempDir('terrain-e2e-data-');
	const env = { TERRAIN_DATA_DIR: dataDir };
	let server: Server | undefined;
	let cleaned = false;
	const cleanup = () => {
		if (cleaned) return;
		cleaned = true;
		if (!process.env.TERRAIN_E2E_KEEP) rmSync(dataDir, { recursive: true, force: true });
		else log(`kept the data directory ${dataDir}`);
	};
	// Ctrl-C or a crash of vitest itself: leave no server (detached, it would outlive us) behind.
	const onExit = () => {
		if (server) killGroup(server.child, 'SIGKILL');
	};
	process.once('exit', onExit);

	try {
		let t = Date.now();
		await cli(['migrate'], env);
		log(`migrated a fresh database in ${seconds(t)}`);
		t = Date.now();
		for (const role of ['analyst', 'field', 'viewer'] as const) {
			const u = USERS[role];
			await cli(['user', 'add', '--email', u.email, '--role', role, '--password', u.password], env);
		}
		const token = (
			await cli(['token', 'create', '--user', USERS.analyst.email, '--name', 'e2e'], env)
		).stdout
			.trim()
			.split('\n')
			.pop()!;
		if (!/^\S{20,}$/.test(token)) throw new Error(`e2e: token create printed no token: ${token}`);
		log(`added the analyst, field and viewer accounts and an API token in ${seconds(t)}`);

		t = Date.now();
		server = await startServer({
			...env,
			PORT: '0',
			HOST: '127.0.0.1',
			// A small import limit, so that the e2e tests can cross it (and the body limit follows it).
			TERRAIN_IMPORT_MAX_MB: String(E2E_IMPORT_MAX_MB),
			// As behind a reverse proxy: HSTS over X-Forwarded-Proto: https, and sign-in limits per
			// X-Forwarded-For address (requests without them are plain http from 127.0.0.1, as before).
			TERRAIN_TRUST_PROXY: '1',
			TERRAIN_ADMIN_EMAIL: USERS.admin.email,
			TERRAIN_ADMIN_PASSWORD: USERS.admin.password
		});
		log(`server ready at ${server.url} in ${seconds(t)} (setup total ${seconds(started)})`);

		project.provide('e2eBaseUrl', server.url);
		project.provide('e2eUsers', USERS);
		project.provide('e2eDataDir', dataDir);
		project.provide('e2eCliToken', token);
	} catch (e) {
		if (server) await stopServer(server.child);
		process.off('exit', onExit);
		cleanup();
		throw e;
	}

	return async () => {
		if (server) await stopServer(server.child);
		process.off('exit', onExit);
		cleanup();
	};
}

declare module 'vitest' {
	export interface ProvidedContext {
		/** e.g. http://127.0.0.1:41234 (no trailing slash) */
		e2eBaseUrl: string;
		e2eUsers: Record<Role, Credentials>;
		/** The server's TERRAIN_DATA_DIR ('' with TERRAIN_E2E_URL). */
		e2eDataDir: string;
		/** Made by `terrain token create --user <analyst>` before the server started. */
		e2eCliToken: string;
	}
}
