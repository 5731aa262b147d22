/**
 * One writer per embedded data directory, as PostgreSQL's postmaster.pid: the process that opens
 * the directory writes `terrain.lock` into it (pid, start time, and once it serves, its port and a
 * local admin token), created exclusively and readable only by its owner (mode 0600). Another
 * process finds the lock and either talks to that server (the CLI, see src/cli/remote.ts) or is
 * told to stop it first. A lock left by a process that no longer exists is taken over.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config.ts';

export const LOCK_FILE = 'terrain.lock';

export interface LockInfo {
	pid: number;
	started_at: string;
	/** Set once the process serves HTTP: where the CLI reaches it. */
	port?: number;
	host?: string;
	/** The local admin credential for the CLI (only in a serving process's lock). */
	token?: string;
}

/** Another live process holds the data directory. */
export class DataDirBusyError extends ConfigError {
	constructor(
		readonly dataDir: string,
		readonly holder: LockInfo
	) {
		super(
			holder.port
				? `a Terrain server (pid ${holder.pid}, port ${holder.port}) is using ${dataDir}; stop the server first`
				: `another terrain process (pid ${holder.pid}, since ${holder.started_at}) is using ${dataDir}; wait for it to finish or stop it first`
		);
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		// EPERM: it exists but belongs to someone else — still alive.
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** The live holder of a data directory's lock, or null (none, unreadable or stale). */
export function readLock(dataDir: string): LockInfo | null {
	let info: LockInfo;
	try {
		info = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as LockInfo;
	} catch {
		return null;
	}
	return Number.isInteger(info.pid) && alive(info.pid) ? info : null;
}

// The built app checks the CLI's credential against this (the CLI source copy and the bundled
// copy of this module share it through globalThis).
const TOKEN = Symbol.for('terrain.localAdminToken');
type TokenHolder = { [TOKEN]?: string };

/** The local admin token of this serving process, if it holds an embedded data directory. */
export function localAdminToken(): string | undefined {
	return (globalThis as TokenHolder)[TOKEN];
}

export class DataDirLock {
	private released = false;
	private readonly onExit = () => this.release();

	constructor(
		readonly dataDir: string,
		readonly info: LockInfo
	) {
		process.once('exit', this.onExit);
	}

	get path(): string {
		return join(this.dataDir, LOCK_FILE);
	}

	/** Records where this process serves, with a fresh local admin token for the CLI. */
	serving(port: number, host: string): string {
		this.info.port = port;
		this.info.host = host;
		this.info.token = randomBytes(32).toString('base64url');
		writeFileSync(this.path, JSON.stringify(this.info) + '\n', { mode: 0o600 });
		(globalThis as TokenHolder)[TOKEN] = this.info.token;
		return this.info.token;
	}

	release(): void {
		if (this.released) return;
		this.released = true;
		process.removeListener('exit', this.onExit);
		if ((globalThis as TokenHolder)[TOKEN] === this.info.token)
			delete (globalThis as TokenHolder)[TOKEN];
		try {
			const now = JSON.parse(readFileSync(this.path, 'utf8')) as LockInfo;
			if (now.pid === this.info.pid) unlinkSync(this.path);
		} catch {
			// gone already
		}
	}
}

/** Takes the data directory's lock, or throws DataDirBusyError naming the live holder. */
export function acquireLock(dataDir: string): DataDirLock {
	const path = join(dataDir, LOCK_FILE);
	const info: LockInfo = { pid: process.pid, started_at: new Date().toISOString() };
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			const fd = openSync(path, 'wx', 0o600);
			try {
				writeSync(fd, JSON.stringify(info) + '\n');
			} finally {
				closeSync(fd);
			}
			return new DataDirLock(dataDir, info);
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
		}
		const holder = readLock(dataDir);
		if (holder) throw new DataDirBusyError(dataDir, holder);
		// Stale (its process is gone) or half-written: take it over.
		try {
			unlinkSync(path);
		} catch {
			// someone else removed it first; try again
		}
	}
	throw new ConfigError(`cannot take the lock ${path}; remove it if no Terrain process is running`);
}
