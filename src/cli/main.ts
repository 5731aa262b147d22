import { parseArgs } from 'node:util';
import { getDb } from '../lib/server/db/index.ts';
import type { Adapter } from '../lib/server/db/types.ts';
import { serveCommands } from '../lib/server/api/local-admin.ts';
import { describeDb, openMigrated } from './database.ts';
import { CliError } from './errors.ts';
import { SEED_DIR } from './paths.ts';
import { serve } from './serve.ts';
import { routeToServer } from './remote.ts';
import {
	addUser,
	checkAreas,
	createToken,
	describeAreas,
	disableUser,
	enableUser,
	listUsers,
	parseAreas,
	parseDays,
	setAreas,
	setRole
} from './users.ts';

const HELP = `terrain — the Terrain command line

  terrain serve                               migrate, load demo data on first start, serve the app
  terrain migrate                             apply pending migrations
  terrain seed [--synthetic N]                load the demo data, or N synthetic incidents
  terrain user add --email E --role R [--name N] [--password P] [--areas P1,P2]
                                              add a new user (roles: admin analyst field viewer);
                                              refuses an existing one; without --password a
                                              one-time password is printed; --areas: a field
                                              user's areas by P-code (they see the normal
                                              contacts of these areas)
  terrain user areas --email E --set P1,P2    change a field user's areas (--set '' removes them all)
  terrain user disable --email E              disable a user, ending their sessions and tokens
  terrain user list                           the users, their roles and whether they are disabled
  terrain user enable --email E               let a disabled user sign in again
  terrain user role --email E --role R        change a user's role
  terrain token create --user E [--name N] [--days D]
                                              create a personal API token for a user, valid D days
                                              (default 90, at most 366)

User and token commands are written to the audit log as done by the local operator: the OS
account and host, or TERRAIN_OPERATOR if set.
  terrain import FILE --into TARGET [...]     import incidents, sites or actors (--help)
  terrain export --from TARGET --format F [...]  export what a user may see (terrain export --help)
  terrain audit verify                        check the audit log's hash chain (exit code 1 names
                                              the first changed, missing or reordered entry)
  terrain gazetteer add|lookup|list [...]     place names imports match (terrain gazetteer --help)
  terrain movements list [--status S,S]       movement plans (as --as EMAIL, default the first admin)
  terrain movements risk FILE --corridor-km 5 route risk of a GeoJSON/KML/GPX line, as JSON
  terrain basemap add FILE [--name N] | list | remove ID
                                              detailed offline basemaps (PMTiles/MBTiles) users can switch to
                                              (terrain basemap --help)
  terrain report sitrep --from D --to D [--pdf out.pdf]
  terrain report assessment|briefing ID [--pdf out.pdf]
  terrain report risks [--pdf out.pdf]        a sitrep, assessment, briefing pack or the risk
                                              register from the running server, as JSON or PDF
                                              (terrain report --help)

The database comes from the environment: TERRAIN_DATA_DIR (embedded, default ./data),
DATABASE_URL (PostgreSQL with PostGIS) or SUPABASE_URL + SUPABASE_ANON_KEY.

The embedded database has one writer: while \`terrain serve\` runs on a data directory, the user,
token, migrate, seed and audit commands are carried out by that server (over localhost, with the local
admin token in the directory's terrain.lock); import, export and a second serve are refused.`;

/**
 * Runs one command. `opened`: the database of the running server, when a CLI next to it sent
 * this command through /api/v1/admin/cli (then `log` collects the lines to send back).
 */
export async function main(
	argv: string[],
	log: (s: string) => void = (s) => console.log(s),
	opened?: Adapter
): Promise<void> {
	// import/export parse their own options (src/cli/import.ts, src/cli/export.ts).
	if (argv[0] === 'import') return (await import('./import.ts')).importCommand(argv.slice(1), log);
	if (argv[0] === 'export') return (await import('./export.ts')).exportCommand(argv.slice(1), log);
	if (argv[0] === 'gazetteer')
		return (await import('./gazetteer.ts')).gazetteerCommand(argv.slice(1), log);
	if (argv[0] === 'movements')
		return (await import('./movements.ts')).movementsCommand(argv.slice(1), log);
	if (argv[0] === 'report') return (await import('./report.ts')).reportCommand(argv.slice(1), log);
	if (argv[0] === 'basemap')
		return (await import('./basemap.ts')).basemapCommand(argv.slice(1), log);
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			email: { type: 'string' },
			role: { type: 'string' },
			name: { type: 'string' },
			password: { type: 'string' },
			user: { type: 'string' },
			areas: { type: 'string' },
			set: { type: 'string' },
			days: { type: 'string' },
			synthetic: { type: 'string' },
			help: { type: 'boolean', short: 'h' }
		}
	});
	const [cmd, sub, target] = positionals;
	// `terrain user add EMAIL …` and `terrain user areas EMAIL …` as well as --email EMAIL.
	if (cmd === 'user' && target !== undefined) {
		if (values.email !== undefined && values.email !== target)
			throw new CliError(`two different emails given: ${target} and --email ${values.email}`);
		values.email = target;
	}
	if (!cmd || values.help || cmd === 'help') return log(HELP);

	if (cmd === 'serve') {
		if (opened) throw new CliError('the server is already running');
		await serve(log);
		// `terrain …` run next to this server reaches it here (src/cli/remote.ts).
		serveCommands(async (args, out) => main(args, out, await getDb()));
		return;
	}

	// Next to a running embedded server: its own process does the work, or the command is refused.
	if (!opened && (await routeToServer(argv, log))) return;

	const db = opened ?? (await openMigrated(log));
	try {
		if (cmd === 'migrate') {
			log(`${describeDb()}: schema is up to date`);
		} else if (cmd === 'audit') {
			const { auditCommand } = await import('./audit.ts');
			if (opened) {
				// Run by the server for a CLI next to it: a broken chain travels back as the CLI's
				// error line (and its exit code 1), never as the server's own exit code.
				const problems: string[] = [];
				const code = await auditCommand(positionals.slice(1), db, log, (s) => problems.push(s));
				if (code !== 0) throw new CliError(problems.join('; ') || 'audit log BROKEN');
			} else process.exitCode = await auditCommand(positionals.slice(1), db, log);
		} else if (cmd === 'seed') {
			const seed = await import('../lib/server/seed/index.ts');
			if (values.synthetic !== undefined) {
				const n = Number(values.synthetic);
				if (!Number.isInteger(n) || n <= 0)
					throw new CliError('--synthetic needs a positive whole number');
				const added = await seed.seedSynthetic(db, n, { log });
				log(`added ${added} synthetic incidents (marked as samples)`);
			} else {
				const counts = await seed.seedDemo(db, { seedDir: SEED_DIR, log });
				log(`demo data loaded: ${JSON.stringify(counts)}`);
			}
		} else if ((cmd === 'user' || cmd === 'token' || cmd === 'seed') && db.kind === 'supabase') {
			// These call server-only functions in schema private, which PostgREST does not expose.
			throw new CliError(
				"in Supabase mode, users sign up through Supabase Auth and an admin sets their role in Terrain; load data with `psql` on the project's direct connection (DATABASE_URL)"
			);
		} else if (cmd === 'user' && sub === 'add') {
			const r = await addUser(db, values);
			log(
				`user ${r.email} (${r.role}) is ready${r.areas ? `; areas: ${describeAreas(r.areas)}` : ''}`
			);
			if (r.generated) log(`one-time password: ${r.password}`);
		} else if (cmd === 'user' && sub === 'areas') {
			if (!values.email) throw new CliError('give the user: terrain user areas EMAIL --set P1,P2');
			if (values.set === undefined)
				throw new CliError("--set P1,P2 is required (--set '' removes every area)");
			const codes = parseAreas(values.set, '--set');
			await checkAreas(db, codes, '--set');
			const r = await setAreas(db, values.email, codes, '--set');
			log(`areas of ${r.email} (${r.role}): ${describeAreas(r.areas)}`);
			if (r.role !== 'field')
				console.error(
					`note: ${r.email} is not a field user; areas only limit what field users see`
				);
		} else if (cmd === 'user' && sub === 'list') {
			for (const u of await listUsers(db)) log(u);
		} else if (cmd === 'user' && sub === 'disable') {
			const r = await disableUser(db, values.email);
			log(`user ${r.email} disabled; their sessions and API tokens are revoked`);
		} else if (cmd === 'user' && sub === 'enable') {
			const r = await enableUser(db, values.email);
			log(`user ${r.email} (${r.role}) is enabled`);
		} else if (cmd === 'user' && sub === 'role') {
			const r = await setRole(db, values.email, values.role);
			log(`user ${r.email} now has the role ${r.role}`);
		} else if (cmd === 'token' && sub === 'create') {
			if (!values.user) throw new CliError('--user EMAIL is required');
			const days = parseDays(values.days);
			const t = await createToken(db, values.user, values.name ?? 'CLI token', days);
			log(t.token);
			console.error(
				`This token is shown only once and expires on ${new Date(t.expires_at).toISOString().slice(0, 10)} (${days} days). Send it as: Authorization: Bearer <token>`
			);
		} else {
			throw new CliError(`unknown command: ${positionals.join(' ')} (see terrain --help)`);
		}
	} finally {
		if (!opened) await db.close();
	}
}
