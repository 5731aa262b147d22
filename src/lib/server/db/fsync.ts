/**
 * Durability for the embedded engine. PGlite's Node file system (Emscripten's NODEFS) writes the
 * data directory with plain `fs.writeSync` and never syncs: PostgreSQL's own fsync calls land in
 * Emscripten stubs. So an acknowledged commit could sit in the OS page cache and be lost in a power
 * cut. We watch the synchronous `fs` calls NODEFS makes (it looks them up on the CommonJS `fs`
 * object at each call, so wrapping that object's functions sees every one), remember which files
 * under the data directory were written and which directories gained or lost entries, and
 * `flush()` syncs exactly those. The adapter flushes after every call, before the answer goes out.
 */
import fs from 'node:fs';
import { dirname, resolve, sep } from 'node:path';

type Fd = number;

const O_CREAT = fs.constants.O_CREAT;

interface Original {
	openSync: typeof fs.openSync;
	writeSync: typeof fs.writeSync;
	closeSync: typeof fs.closeSync;
	ftruncateSync: typeof fs.ftruncateSync;
	renameSync: typeof fs.renameSync;
	unlinkSync: typeof fs.unlinkSync;
	mkdirSync: typeof fs.mkdirSync;
	rmdirSync: typeof fs.rmdirSync;
}

const trackers = new Set<FsyncTracker>();
let original: Original | null = null;

function owner(path: string): FsyncTracker | undefined {
	for (const t of trackers) if (t.owns(path)) return t;
	return undefined;
}

/** Wraps the `fs` functions NODEFS uses, once per process; a no-op pass-through when no tracker. */
function install(): void {
	if (original) return;
	const o: Original = {
		openSync: fs.openSync,
		writeSync: fs.writeSync,
		closeSync: fs.closeSync,
		ftruncateSync: fs.ftruncateSync,
		renameSync: fs.renameSync,
		unlinkSync: fs.unlinkSync,
		mkdirSync: fs.mkdirSync,
		rmdirSync: fs.rmdirSync
	};
	original = o;
	const paths = new Map<Fd, { path: string; tracker: FsyncTracker }>();
	const f = fs as unknown as Record<string, unknown>;

	f.openSync = function (path: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode): Fd {
		const p = typeof path === 'string' ? resolve(path) : null;
		const t = p ? owner(p) : undefined;
		const created = t && typeof flags === 'number' && flags & O_CREAT && !fs.existsSync(p!);
		const fd = (o.openSync as (...a: unknown[]) => Fd)(path, flags, mode);
		if (t) {
			paths.set(fd, { path: p!, tracker: t });
			if (created) t.dirtyDirs.add(dirname(p!));
		}
		return fd;
	};
	f.writeSync = function (fd: Fd, ...rest: unknown[]) {
		const e = paths.get(fd);
		if (e && trackers.has(e.tracker)) e.tracker.dirtyFds.set(fd, e.path);
		return (o.writeSync as (...a: unknown[]) => number)(fd, ...rest);
	};
	f.ftruncateSync = function (fd: Fd, len?: number) {
		const e = paths.get(fd);
		if (e && trackers.has(e.tracker)) e.tracker.dirtyFds.set(fd, e.path);
		return o.ftruncateSync(fd, len);
	};
	f.closeSync = function (fd: Fd) {
		const e = paths.get(fd);
		if (e) {
			paths.delete(fd);
			// A file closed with unsynced writes (a finished WAL segment, say) is synced now: after
			// close its descriptor number may be reused, so it cannot wait for the next flush.
			if (e.tracker.dirtyFds.has(fd)) {
				e.tracker.dirtyFds.delete(fd);
				fs.fdatasyncSync(fd);
				e.tracker.syncs++;
			}
		}
		return o.closeSync(fd);
	};
	const entryChange =
		<A extends unknown[], R>(fn: (path: fs.PathLike, ...a: A) => R) =>
		(path: fs.PathLike, ...a: A): R => {
			const r = fn(path, ...a);
			if (typeof path === 'string') {
				const p = resolve(path);
				owner(p)?.dirtyDirs.add(dirname(p));
			}
			return r;
		};
	f.unlinkSync = entryChange(o.unlinkSync);
	f.mkdirSync = entryChange(o.mkdirSync as (p: fs.PathLike, ...a: unknown[]) => unknown);
	f.rmdirSync = entryChange(o.rmdirSync);
	f.renameSync = function (from: fs.PathLike, to: fs.PathLike) {
		o.renameSync(from, to);
		for (const p of [from, to]) {
			if (typeof p !== 'string') continue;
			const abs = resolve(p);
			owner(abs)?.dirtyDirs.add(dirname(abs));
		}
	};
}

function syncDir(dir: string): Promise<void> {
	return new Promise((done, fail) => {
		fs.open(dir, 'r', (e, fd) => {
			if (e) return e.code === 'ENOENT' ? done() : fail(e);
			fs.fsync(fd, (e2) => fs.close(fd, () => (e2 ? fail(e2) : done())));
		});
	});
}

/** What one data directory wrote since its last flush. */
export class FsyncTracker {
	readonly root: string;
	readonly dirtyFds = new Map<Fd, string>();
	readonly dirtyDirs = new Set<string>();
	/** Files and directories synced so far (for tests and the bench). */
	syncs = 0;
	flushes = 0;
	/** Time spent waiting for flushes, in ms (the cost the bench reports). */
	flushMs = 0;

	constructor(root: string) {
		this.root = resolve(root);
		install();
		trackers.add(this);
	}

	owns(path: string): boolean {
		return path === this.root || path.startsWith(this.root + sep);
	}

	/**
	 * Syncs every file written and every directory changed since the last flush. The caller must
	 * keep the engine idle meanwhile (the adapter does: it flushes inside its one-call-at-a-time
	 * queue), so no descriptor is closed under us.
	 */
	async flush(): Promise<number> {
		if (this.dirtyFds.size === 0 && this.dirtyDirs.size === 0) return 0;
		const t0 = performance.now();
		const fds = [...this.dirtyFds.keys()];
		const dirs = [...this.dirtyDirs];
		this.dirtyFds.clear();
		this.dirtyDirs.clear();
		await Promise.all([
			...fds.map(
				(fd) => new Promise<void>((done, fail) => fs.fdatasync(fd, (e) => (e ? fail(e) : done())))
			),
			...dirs.map(syncDir)
		]);
		this.syncs += fds.length + dirs.length;
		this.flushes++;
		this.flushMs += performance.now() - t0;
		return fds.length + dirs.length;
	}

	close(): void {
		trackers.delete(this);
	}
}
