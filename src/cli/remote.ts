/**
 * One writer per embedded data directory (see src/lib/server/db/lock.ts). Before a command opens
 * the directory, this looks at its lock: when `terrain serve` holds it, the command is sent to
 * that server over localhost with the local admin token from the lock, and the server runs it on
 * the database it has open; commands that cannot run that way are refused with one clear line.
 * With no live holder the command runs here as before (and takes the lock itself).
 */
import { dbConfig } from '../lib/server/config.ts';
import { DataDirBusyError, readLock } from '../lib/server/db/lock.ts';
import { LOCAL_ADMIN_HEADER } from '../lib/server/api/local-admin.ts';
import { CliError } from './errors.ts';

/** Commands the running server can carry out for the CLI. */
const ROUTABLE = new Set(['user', 'token', 'migrate', 'seed', 'audit']);

/** True when the command was carried out by the running server (its lines already printed). */
export async function routeToServer(argv: string[], log: (s: string) => void): Promise<boolean> {
	const config = dbConfig();
	if (config.mode !== 'embedded') return false;
	const holder = readLock(config.dataDir);
	if (!holder) return false;
	if (!holder.port || !holder.token) throw new DataDirBusyError(config.dataDir, holder);
	if (!ROUTABLE.has(argv[0]))
		throw new CliError(
			`a Terrain server (pid ${holder.pid}, port ${holder.port}) is using ${config.dataDir}; \`terrain ${argv[0]}\` cannot run next to it — stop the server first${argv[0] === 'import' || argv[0] === 'export' ? ', or use the import/export page or the API' : ''}`
		);
	const host = holder.host && !['0.0.0.0', '::'].includes(holder.host) ? holder.host : '127.0.0.1';
	const base = `http://${host.includes(':') ? `[${host}]` : host}:${holder.port}`;
	let res: Response;
	try {
		res = await fetch(`${base}/api/v1/admin/cli`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				[LOCAL_ADMIN_HEADER]: holder.token,
				origin: base
			},
			body: JSON.stringify({ argv })
		});
	} catch (e) {
		throw new CliError(
			`a Terrain server (pid ${holder.pid}) holds ${config.dataDir} but does not answer on port ${holder.port} (${(e as Error).message}); stop it first`
		);
	}
	const body = (await res.json().catch(() => ({}))) as { lines?: string[]; error?: string };
	for (const l of body.lines ?? []) log(l);
	if (!res.ok)
		throw new CliError(body.error ?? `the running server refused the command (HTTP ${res.status})`);
	return true;
}
