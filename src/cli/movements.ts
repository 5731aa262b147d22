/**
 * `terrain movements list [--status S,S] [--as EMAIL]`
 * `terrain movements risk FILE [--corridor-km N] [--from D] [--to D] [--as EMAIL]`
 * Through the same verbs as the API (src/lib/server/movements), as a user (default the first admin).
 * FILE: a GeoJSON line (a geometry, Feature or FeatureCollection) or a KML/KMZ/GPX track.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { basename } from 'node:path';
import { routeFromFile } from '../lib/server/movements/route-file.ts';
import { FilterError } from '../lib/domain/filters.ts';
import { setDb } from '../lib/server/db/index.ts';
import { listMovements, routeRisk, MOVEMENT_STATUSES } from '../lib/server/movements/index.ts';
import { zRouteRiskQuery } from '../lib/domain/movements.ts';
import { openMigrated } from './database.ts';
import { CliError } from './errors.ts';
import { cliUser } from './import.ts';

export const MOVEMENTS_HELP = `terrain movements list [--status draft,submitted,…] [--as EMAIL]
terrain movements risk FILE.geojson|.kml|.kmz|.gpx [--corridor-km 5] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--as EMAIL]`;

async function readRoute(file: string): Promise<unknown> {
	let bytes: Uint8Array;
	try {
		bytes = readFileSync(file);
	} catch {
		throw new CliError(`${file}: cannot read this file`);
	}
	try {
		// the same reader as the page and the API (KML, KMZ, GPX, GeoJSON)
		return (await routeFromFile(basename(file), bytes)).route;
	} catch (e) {
		if (e instanceof FilterError) throw new CliError(e.message);
		throw e;
	}
}

export async function movementsCommand(argv: string[], log: (s: string) => void): Promise<void> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			status: { type: 'string' },
			'corridor-km': { type: 'string' },
			from: { type: 'string' },
			to: { type: 'string' },
			as: { type: 'string' },
			help: { type: 'boolean', short: 'h' }
		}
	});
	const [sub, file] = positionals;
	if (values.help || !sub) return log(MOVEMENTS_HELP);
	if (sub !== 'list' && sub !== 'risk')
		throw new CliError(`unknown: movements ${sub}\n${MOVEMENTS_HELP}`);
	let query: ReturnType<typeof zRouteRiskQuery.parse> | null = null;
	let status: (typeof MOVEMENT_STATUSES)[number][] | undefined;
	if (sub === 'risk') {
		if (!file) throw new CliError('give the route file: terrain movements risk FILE.geojson');
		const q = zRouteRiskQuery.safeParse({
			route: await readRoute(file),
			corridor_km: values['corridor-km'] !== undefined ? Number(values['corridor-km']) : undefined,
			from: values.from,
			to: values.to
		});
		if (!q.success) {
			const i = q.error.issues[0];
			const name = i.path[0] === 'corridor_km' ? 'corridor-km' : String(i.path[0] ?? 'route');
			throw new CliError(`--${name}: ${i.message}`);
		}
		query = q.data;
	} else if (values.status) {
		status = values.status.split(',').map((s) => s.trim()) as typeof status;
		for (const s of status!)
			if (!(MOVEMENT_STATUSES as readonly string[]).includes(s))
				throw new CliError(`--status ${s}: one of ${MOVEMENT_STATUSES.join(', ')}`);
	}
	const db = await openMigrated((s) => console.error(s));
	try {
		setDb(db);
		const as = await cliUser(db, values.as);
		if (query) {
			log(JSON.stringify(await routeRisk(as, query), null, 2));
		} else {
			for (const m of await listMovements(as, status))
				log(
					[
						m.id,
						m.status,
						m.departure_at,
						m.return_at,
						`team ${m.team_size}`,
						m.recommendation ?? '-',
						m.purpose
					].join('\t')
				);
		}
	} finally {
		await db.close();
	}
}
