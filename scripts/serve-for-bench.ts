/**
 * What the browser benchmarks share: a `terrain serve` on a fresh data directory (demo data, an
 * admin from the environment), stopped with the script however it ends, the Chromium they drive
 * (Debian's, with the flags DESIGN.md gives) and signing in through the login page.
 * Not a benchmark itself: bench.js runs the scripts named bench-*.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

const ROOT = join(import.meta.dirname, '..');

/** Debian's Chromium, WebGL through Mesa llvmpipe (DESIGN.md). */
export const CHROMIUM = {
	executablePath: '/usr/bin/chromium',
	headless: true,
	args: [
		'--no-sandbox',
		'--disable-quic',
		'--no-first-run',
		'--disable-background-networking',
		'--use-angle=gl-egl',
		'--ignore-gpu-blocklist'
	]
};

export interface BenchServer {
	url: string;
	email: string;
	password: string;
	child: ChildProcess;
	dir: string;
}

/** `terrain serve` (the build in build/) on a fresh data directory, on a free port. */
export async function startServer(name: string): Promise<BenchServer> {
	if (!existsSync(join(ROOT, 'build', 'handler.js')))
		throw new Error(`bench-${name}: build/ is missing; run \`npm run build\` first`);
	const dir = mkdtempSync(join(tmpdir(), `terrain-bench-${name}-`));
	const email = 'bench-admin@bench.terrain.test';
	const password = 'bench-server-password-1';
	const child = spawn(process.execPath, [join(ROOT, 'bin', 'terrain.js'), 'serve'], {
		cwd: ROOT,
		env: {
			...process.env,
			TERRAIN_DATA_DIR: dir,
			PORT: '0',
			HOST: '127.0.0.1',
			TERRAIN_ADMIN_EMAIL: email,
			TERRAIN_ADMIN_PASSWORD: password
		},
		stdio: ['ignore', 'pipe', 'inherit'],
		detached: true
	});
	const url = await new Promise<string>((resolve, reject) => {
		let out = '';
		child.stdout!.setEncoding('utf8').on('data', (d: string) => {
			out += d;
			const m = /Terrain is ready in [\d.]+ s: (http:\/\/\S+)/.exec(out);
			if (m) resolve(m[1].replace(/\/$/, ''));
		});
		child.once('exit', (c) => reject(new Error(`terrain serve exited (${c})`)));
	});
	goesWithUs(child, dir);
	return { url, email, password, child, dir };
}

/** Stops the server and removes its data directory (also done at exit). */
export function stopServer(server: BenchServer) {
	try {
		process.kill(-server.child.pid!, 'SIGTERM');
	} catch {
		// gone
	}
	rmSync(server.dir, { recursive: true, force: true });
}

/**
 * The server runs in its own process group (detached, so its whole group can be stopped); make it
 * end with this script however the script ends, not only through `finally`: a closed output pipe
 * (`| head` makes console.log fail with EPIPE), Ctrl-C, or an uncaught error.
 */
function goesWithUs(child: ChildProcess, dir: string) {
	process.once('exit', () => {
		try {
			process.kill(-child.pid!, 'SIGTERM');
		} catch {
			// already gone
		}
		rmSync(dir, { recursive: true, force: true });
	});
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
		process.once(signal, () => process.exit(130));
	process.stdout.once('error', () => process.exit(1));
}

export async function signIn(page: Page, base: string, email: string, password: string) {
	await page.goto(`${base}/login`);
	await page.locator('#email').fill(email);
	await page.locator('#password').fill(password);
	await Promise.all([
		page.waitForURL((u) => u.pathname !== '/login'),
		page.locator('form button[type="submit"]').click()
	]);
}
