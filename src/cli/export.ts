/**
 * `terrain export --from incidents|health-facilities|idp-camps|checkpoints|sites --format csv|geojson|kml|xlsx
 *                 [--from-date D] [--to-date D] [--type T …] [--area PCODE] [--bbox W,S,E,N] [--q TEXT]
 *                 [--status S …] [--as EMAIL] [-o FILE]`
 * Exports what the user (--as, default the first admin) may see; to a file or to stdout.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { FilterError, parseIncidentFilters } from '../lib/domain/filters.ts';
import {
	EXPORT_FORMATS,
	exportIncidents,
	exportSites,
	type ExportFormat
} from '../lib/server/export/index.ts';
import { openMigrated } from './database.ts';
import { CliError } from './errors.ts';
import { cliUser, parseTarget } from './import.ts';

export const EXPORT_HELP = `terrain export --from incidents|health-facilities|idp-camps|checkpoints|sites --format csv|geojson|kml|xlsx
       [--from-date YYYY-MM-DD] [--to-date YYYY-MM-DD] [--type TYPE …] [--area PCODE] [--bbox W,S,E,N]
       [--q "full text"] [--status reported|verified|rejected|archived …] [--as EMAIL] [-o FILE]`;

export async function exportCommand(argv: string[], log: (s: string) => void): Promise<void> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: false,
		options: {
			from: { type: 'string' },
			format: { type: 'string' },
			'from-date': { type: 'string' },
			'to-date': { type: 'string' },
			type: { type: 'string', multiple: true },
			area: { type: 'string' },
			bbox: { type: 'string' },
			q: { type: 'string' },
			status: { type: 'string', multiple: true },
			as: { type: 'string' },
			output: { type: 'string', short: 'o' },
			help: { type: 'boolean', short: 'h' }
		}
	});
	void positionals;
	if (values.help) return log(EXPORT_HELP);
	const target = parseTarget(values.from, '--from');
	if (target === 'actors' || target === 'displacement_locations')
		throw new CliError(
			`--from ${values.from}: not exported as a file; use incidents, health-facilities, idp-camps, checkpoints or sites`
		);
	const format = (values.format ?? '') as ExportFormat;
	if (!EXPORT_FORMATS.includes(format))
		throw new CliError(`--format is required: ${EXPORT_FORMATS.join(', ')}`);
	const params = new URLSearchParams();
	if (values['from-date']) params.set('from', values['from-date']);
	if (values['to-date']) params.set('to', values['to-date']);
	for (const t of values.type ?? []) params.append('type', t);
	if (values.area) params.set('area', values.area);
	if (values.bbox) params.set('bbox', values.bbox);
	let filters;
	try {
		filters = parseIncidentFilters(params);
	} catch (e) {
		if (e instanceof FilterError)
			throw new CliError(
				`--${e.parameter === 'from' ? 'from-date' : e.parameter === 'to' ? 'to-date' : e.parameter} ${e.message.replace(/^\w+: /, '')}`
			);
		throw e;
	}
	const statuses = values.status ?? [];
	for (const s of statuses)
		if (!['reported', 'verified', 'rejected', 'archived'].includes(s))
			throw new CliError(`--status ${s}: reported, verified, rejected or archived`);

	const db = await openMigrated((s) => console.error(s));
	try {
		const as = await cliUser(db, values.as);
		const chunks =
			target === 'incidents'
				? exportIncidents({
						db,
						as,
						format,
						filters,
						q: values.q,
						status: statuses,
						onProgress: values.output
							? (n, total) =>
									console.error(`exported ${n}${total !== null ? ` of ${total}` : ''} incidents`)
							: undefined
					})
				: exportSites({ db, as, format, kind: target });
		const out = values.output ? createWriteStream(values.output) : process.stdout;
		for await (const c of chunks) {
			if (!out.write(c)) await once(out, 'drain');
		}
		if (values.output) {
			(out as ReturnType<typeof createWriteStream>).end();
			await once(out, 'finish');
			console.error(`wrote ${values.output}`);
		}
	} finally {
		await db.close();
	}
}
