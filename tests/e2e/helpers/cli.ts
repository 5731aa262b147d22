/**
 * Running the Terrain CLI from tests and from global-setup (no vitest imports here: global-setup
 * runs in vitest's main process).
 *
 *   const r = await runCli(['migrate'], { TERRAIN_DATA_DIR: dir }); // {code, stdout, stderr, lines, ms}
 *   await cli(['user', 'add', '--email', e, '--role', 'viewer', '--password', p], env); // throws unless exit 0
 *
 * The child gets this process's environment minus anything that would point it at another
 * database or port (DATABASE_URL, SUPABASE_*, TERRAIN_DATA_DIR, PORT, HOST, …) plus `env`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const CLI = join(ROOT, 'bin', 'terrain.js');

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
	/** Non-empty stderr lines. */
	lines: string[];
	ms: number;
}

/** Variables that would point a CLI run at some other database or port. */
const INHERITED_CONFIG = [
	'DATABASE_URL',
	'SUPABASE_URL',
	'SUPABASE_ANON_KEY',
	'SUPABASE_SERVICE_ROLE_KEY',
	'TERRAIN_DATA_DIR',
	'TERRAIN_ADMIN_EMAIL',
	'TERRAIN_ADMIN_PASSWORD',
	'PORT',
	'HOST',
	'NODE_ENV'
];

/** The environment for a CLI/server child: this one minus database/port config and vitest's own. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (
			INHERITED_CONFIG.includes(k) ||
			k.startsWith('VITEST') ||
			k === 'TEST' ||
			k === 'NODE_OPTIONS'
		)
			continue;
		env[k] = v;
	}
	return { ...env, ...extra };
}

/** Runs `node bin/terrain.js …args` and waits for it (killed after timeoutMs). */
export function runCli(
	args: string[],
	env: Record<string, string>,
	timeoutMs = 180_000
): Promise<CliResult> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [CLI, ...args], {
			cwd: ROOT,
			env: childEnv(env),
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
		child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.once('error', reject);
		child.once('close', (code) => {
			clearTimeout(timer);
			const lines = stderr
				.split('\n')
				.map((l) => l.trimEnd())
				.filter(Boolean);
			resolve({ code, stdout, stderr, lines, ms: Date.now() - started });
		});
	});
}

/** Like runCli, but throws with the output when the command does not exit 0. */
export async function cli(
	args: string[],
	env: Record<string, string>,
	timeoutMs?: number
): Promise<CliResult> {
	const r = await runCli(args, env, timeoutMs);
	if (r.code !== 0) {
		throw new Error(
			`terrain ${args.join(' ')} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`
		);
	}
	return r;
}

/** A new empty directory under the system temp dir. */
export function tempDir(prefix = 'terrain-e2e-'): string {
	return mkdtempSync(join(tmpdir(), prefix));
}
