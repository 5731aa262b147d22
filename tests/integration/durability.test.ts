/**
 * The embedded engine syncs every commit before it answers (issue: 50 acknowledged reports gave 0
 * fsync calls). A child process opens a data directory on disk and makes committing calls through
 * the adapter while strace records its writes and syncs; between each call and its answer, every
 * file the engine wrote (the WAL above all) must be fdatasync'ed after its last write.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CHILD = join(import.meta.dirname, 'helpers', 'durability-child.ts');
const hasStrace = spawnSync('strace', ['-V']).status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'terrain-durability-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Window {
	writes: Map<string, number>; // path → index of its last write in the window
	syncs: Map<string, number>; // path → index of its last sync
}

/** Splits an `strace -f -y` log into call → answer windows. */
function windows(trace: string): Window[] {
	const out: Window[] = [];
	let cur: Window | null = null;
	trace.split('\n').forEach((line, i) => {
		if (/write\(1<.*"@@call /.test(line)) cur = { writes: new Map(), syncs: new Map() };
		else if (/write\(1<.*"@@answer /.test(line)) {
			if (cur) out.push(cur);
			cur = null;
		} else if (cur) {
			const w = /pwrite64\(\d+<([^>]+)>/.exec(line) ?? /\bwrite\(\d+<(\/[^>]+)>/.exec(line);
			if (w) cur.writes.set(w[1], i);
			const s = /(?:fdatasync|fsync)\(\d+<([^>]+)>/.exec(line);
			if (s) cur.syncs.set(s[1], i);
		}
	});
	return out;
}

describe.skipIf(!hasStrace)('embedded durability (strace)', () => {
	it('syncs the WAL and every written file after each commit, before the answer', () => {
		const dir = join(tmp, 'data');
		const log = join(tmp, 'trace.txt');
		const n = 8;
		const run = spawnSync(
			'strace',
			[
				'-f',
				'-y',
				'-qq',
				'-e',
				'trace=write,pwrite64,fsync,fdatasync',
				'-o',
				log,
				process.execPath,
				'--import',
				'tsx',
				CHILD,
				dir,
				String(n)
			],
			{ cwd: ROOT, encoding: 'utf8', timeout: 170_000 }
		);
		expect(run.status, run.stderr).toBe(0);
		const ws = windows(readFileSync(log, 'utf8'));
		expect(ws).toHaveLength(n);
		const perCommit: number[] = [];
		for (const w of ws) {
			const wal = [...w.writes.keys()].filter((p) => p.includes('/pg_wal/'));
			expect(wal.length, 'each commit writes the WAL').toBeGreaterThan(0);
			for (const [path, at] of w.writes) {
				if (!path.startsWith(dir)) continue;
				const synced = w.syncs.get(path);
				expect(synced, `${path} synced before the answer`).toBeDefined();
				expect(synced!, `${path} synced after its last write`).toBeGreaterThan(at);
			}
			perCommit.push(w.syncs.size);
		}
		const done = /@@done (.*)/.exec(run.stdout)?.[1];
		console.log(`syncs per commit: ${perCommit.join(', ')}; ${done}`);
	}, 180_000);
});
