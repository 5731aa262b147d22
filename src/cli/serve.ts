import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { serverConfig } from '../lib/server/config.ts';
import { setDb } from '../lib/server/db/index.ts';
import { PgliteAdapter } from '../lib/server/db/pglite.ts';
import { withRequest } from '../lib/server/db/context.ts';
import { BUILD_HANDLER, SEED_DIR } from './paths.ts';
import { describeDb, openMigrated } from './database.ts';
import { ensureAdmin } from './users.ts';
import { CliError } from './errors.ts';
import { compressor } from './compress.ts';
import { importLimits } from '../lib/server/import/types.ts';
import { setUpProxy } from '../lib/server/auth/proxy.ts';
import { sessionConfig } from '../lib/server/auth/config.ts';

/** Resolves when the port is free, with a clear error when something else holds it. */
function checkPort(port: number, host: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', (e: NodeJS.ErrnoException) =>
			reject(
				new CliError(
					e.code === 'EADDRINUSE'
						? `port ${port} is already in use; stop the program using it or start Terrain with PORT=<another port>`
						: `cannot listen on ${host}:${port}: ${e.message}`
				)
			)
		);
		probe.listen(port, host, () => probe.close(() => resolve()));
	});
}

export async function serve(log: (s: string) => void): Promise<Server> {
	const { port, host } = serverConfig();
	sessionConfig(); // a wrong TERRAIN_SESSION_* stops here, with one line
	process.env.TERRAIN_SLOW_CALL_MS ??= '2000'; // the embedded engine logs calls that hold it (pglite.ts)
	// Before adapter-node reads its variables (TERRAIN_TRUST_PROXY=1 → X-Forwarded-Proto/-For).
	const proxy = setUpProxy();
	if (!existsSync(BUILD_HANDLER))
		throw new CliError('the app is not built; run `npm run build` (npm start does it for you)');
	await checkPort(port, host);

	const started = Date.now();
	log(`database: ${describeDb()}`);
	const db = await openMigrated(log);
	let admin: Awaited<ReturnType<typeof ensureAdmin>> = null;
	if (db.kind !== 'supabase') {
		const { isSeeded, seedDemo } = await import('../lib/server/seed/index.ts');
		// TERRAIN_DEMO_DATA=off: an operator bringing their own data (and tests) start empty.
		if (process.env.TERRAIN_DEMO_DATA !== 'off' && !(await isSeeded(db))) {
			log('first start: loading the demo data (UCDP GED, COD-AB, OSM, UNHCR; about a minute)…');
			const counts = await seedDemo(db, { seedDir: SEED_DIR, log });
			log(
				`demo data loaded: ${Object.entries(counts)
					.map(([k, v]) => `${v} ${k}`)
					.join(', ')}`
			);
		}
		admin = await ensureAdmin(db);
	}
	setDb(db);
	// The embedded engine has no autovacuum: the server keeps its statistics current when idle.
	if (db instanceof PgliteAdapter) db.startUpkeep(log);

	// adapter-node assumes https unless told otherwise, which would make every browser form post
	// look cross-origin over plain http. This server speaks http itself, so unless the operator
	// configured ORIGIN or PROTOCOL_HEADER (TLS at a proxy), say so on every request — in a header
	// of our own, overwritten so a client cannot choose it.
	const ownProtocolHeader = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
	if (ownProtocolHeader) process.env.PROTOCOL_HEADER = 'x-terrain-protocol';

	// Imports stream uploads to a temporary file under their own limit (TERRAIN_IMPORT_MAX_MB);
	// adapter-node's default body limit of 512 KB would refuse any real file. The body limit sits
	// 1 MB above the import limit (multipart framing), so that a file over it reaches the importer
	// and gets its clear JSON answer rather than adapter-node's bare 413. An operator's
	// BODY_SIZE_LIMIT still wins.
	process.env.BODY_SIZE_LIMIT ??= `${importLimits().maxBytes + 1024 * 1024}`;

	// The built SvelteKit app (adapter-node) finds the database opened above through setDb().
	const { handler } = await import(pathToFileURL(BUILD_HANDLER).href);
	const compress = compressor();
	const server = createServer((req, res) => {
		if (ownProtocolHeader) req.headers['x-terrain-protocol'] = 'http';
		proxy.prepare(req);
		// A client that hangs up before its answer cancels the database work done for it (the seam
		// reads this signal; SvelteKit's own request.signal only fires during an unfinished upload).
		const gone = new AbortController();
		res.once('close', () => {
			if (!res.writableFinished) gone.abort();
		});
		withRequest({ signal: gone.signal }, () =>
			compress(req as never, res as never, () => handler(req, res))
		);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve());
	});
	const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
	const addr = server.address();
	const actualPort = typeof addr === 'object' && addr ? addr.port : port;
	// The embedded data directory's lock now says where this server listens, with the local admin
	// token through which the CLI's commands reach it (src/cli/remote.ts) instead of the files.
	if (db instanceof PgliteAdapter && db.lock) db.lock.serving(actualPort, host);
	log(
		`Terrain is ready in ${((Date.now() - started) / 1000).toFixed(1)} s: http://${shown}:${actualPort}`
	);
	if (admin) {
		log('');
		log(`  Sign in as ${admin.email}`);
		if (admin.generated) {
			log(`  with this one-time password: ${admin.password}`);
			log(
				'  It is shown only now. Add your own users under Users, then disable this account or keep it safe.'
			);
		} else {
			log('  with the password from TERRAIN_ADMIN_PASSWORD.');
		}
		log('');
	} else {
		log(
			'Sign in with your Terrain account (add users with `npm run terrain -- user add --email … --role …`).'
		);
	}

	const stop = async () => {
		server.close();
		await db.close().catch(() => {});
		process.exit(0);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	return server;
}
