/**
 * The local admin channel: `terrain user add` and the other write commands, run next to a
 * server that holds the embedded data directory, are carried out by that server instead of a
 * second process writing the files behind its back (src/cli/remote.ts sends them).
 * POST /api/v1/admin/cli {argv} with `X-Terrain-Local-Admin: <token>`, where the token is the
 * one this server wrote into the data directory's terrain.lock (mode 0600: only the account that
 * runs the server can read it), from a loopback address only.
 */
import { timingSafeEqual } from 'node:crypto';
import { json, type RequestEvent } from '@sveltejs/kit';
import { localAdminToken } from '../db/lock.ts';

export const LOCAL_ADMIN_HEADER = 'x-terrain-local-admin';

type Runner = (argv: string[], log: (s: string) => void) => Promise<void>;
// Registered by `terrain serve` (src/cli/main.ts) in this same process; the bundled app sees it
// through globalThis.
const RUNNER = Symbol.for('terrain.cli.runner');
type Holder = { [RUNNER]?: Runner };

export function serveCommands(run: Runner): void {
	(globalThis as Holder)[RUNNER] = run;
}

function same(a: string, b: string): boolean {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && timingSafeEqual(x, y);
}

function loopback(address: string): boolean {
	return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

export async function localAdminRequest(event: RequestEvent): Promise<Response> {
	const token = localAdminToken();
	const run = (globalThis as Holder)[RUNNER];
	const given = event.request.headers.get(LOCAL_ADMIN_HEADER) ?? '';
	let address = '';
	try {
		address = event.getClientAddress();
	} catch {
		// not available (no adapter-node): refuse below
	}
	if (!token || !run || !given || !same(given, token) || !loopback(address))
		return json({ message: 'not found' }, { status: 404 });
	let body: { argv?: unknown };
	try {
		body = (await event.request.json()) as { argv?: unknown };
	} catch {
		return json({ message: 'expected {"argv": [...]}' }, { status: 400 });
	}
	const argv = body.argv;
	if (!Array.isArray(argv) || argv.length > 50 || !argv.every((a) => typeof a === 'string'))
		return json({ message: 'expected {"argv": [...]}' }, { status: 400 });
	const lines: string[] = [];
	try {
		await run(argv as string[], (s) => lines.push(s));
		return json({ lines });
	} catch (e) {
		const err = e as Error & { code?: string };
		// The CLI prints the message as its one line, as it would have running on its own.
		const known = ['CliError', 'ConfigError', 'DbError'].includes(err?.name);
		if (!known) console.error(e);
		return json(
			{
				lines,
				error: known
					? `${err.name === 'DbError' ? 'database error: ' : ''}${err.message}`
					: 'the server failed to run the command (see its log)'
			},
			{ status: 400 }
		);
	}
}
