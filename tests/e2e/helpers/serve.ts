/**
 * A `terrain serve` of a test's own (on its own data directory or DATABASE_URL), for tests that
 * stop, kill and restart the server: the shared e2e server must never be killed.
 *
 *   const s = await startServe({ TERRAIN_DATA_DIR: dir, TERRAIN_DEMO_DATA: 'off' });
 *   await fetch(s.url + '/api/v1/me');
 *   await s.stop();            // SIGTERM, waits for exit
 *   s.kill();                  // SIGKILL, at once
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { childEnv, CLI, ROOT } from './cli.ts';

const READY = /Terrain is ready in [\d.]+ s: (http:\/\/\S+)/;

export interface Serve {
	child: ChildProcess;
	url: string;
	output: () => string;
	stop: () => Promise<void>;
	kill: () => Promise<void>;
}

export function startServe(env: Record<string, string>, timeoutMs = 240_000): Promise<Serve> {
	const child = spawn(process.execPath, [CLI, 'serve'], {
		cwd: ROOT,
		env: childEnv({ PORT: '0', HOST: '127.0.0.1', ...env }),
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	child.stdout!.setEncoding('utf8');
	child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
	const end = async (signal: NodeJS.Signals) => {
		if (child.exitCode === null && child.signalCode === null) child.kill(signal);
		await exited;
	};
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`terrain serve was not ready in time\n${out}`));
		}, timeoutMs);
		child.stdout!.on('data', (d: string) => {
			out += d;
			const m = READY.exec(out);
			if (m && timer) {
				clearTimeout(timer);
				resolve({
					child,
					url: m[1].replace(/\/$/, ''),
					output: () => out,
					stop: () => end('SIGTERM'),
					kill: () => end('SIGKILL')
				});
			}
		});
		child.once('exit', (code, sig) => {
			clearTimeout(timer);
			reject(new Error(`terrain serve exited (${code ?? sig}) before it was ready\n${out}`));
		});
	});
}
