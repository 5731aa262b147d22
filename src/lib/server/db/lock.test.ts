import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, DataDirBusyError, readLock } from './lock.ts';

describe('data directory lock', () => {
	it('is exclusive, owner-only, names the server once serving, and goes away on release', () => {
		const dir = mkdtempSync(join(tmpdir(), 'terrain-lock-unit-'));
		const lock = acquireLock(dir);
		const path = join(dir, 'terrain.lock');
		expect(statSync(path).mode & 0o777).toBe(0o600);
		expect(() => acquireLock(dir)).toThrow(DataDirBusyError);
		const token = lock.serving(4321, '127.0.0.1');
		expect(readLock(dir)).toMatchObject({ pid: process.pid, port: 4321, token });
		expect(() => acquireLock(dir)).toThrow(/port 4321.*stop the server first/);
		lock.release();
		expect(existsSync(path)).toBe(false);
	});

	it('takes over a lock whose process is gone', () => {
		const dir = mkdtempSync(join(tmpdir(), 'terrain-lock-unit-'));
		writeFileSync(join(dir, 'terrain.lock'), JSON.stringify({ pid: 999_999, started_at: 'x' }));
		expect(readLock(dir)).toBeNull();
		const lock = acquireLock(dir);
		expect(JSON.parse(readFileSync(join(dir, 'terrain.lock'), 'utf8')).pid).toBe(process.pid);
		lock.release();
	});
});
