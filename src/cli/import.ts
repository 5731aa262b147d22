/**
 * `terrain import FILE --into incidents|health-facilities|idp-camps|checkpoints|sites …`
 * Runs the import pipeline (src/lib/server/import) as a Terrain user, so the same policies and
 * audit apply as in the app. Progress goes to stderr; the summary to stdout (JSON with --json).
 */
import { resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Adapter, CallerUser } from '../lib/server/db/types.ts';
import {
	IMPORT_FORMATS,
	IMPORT_TARGETS,
	type ImportFormat,
	type ImportTarget
} from '../lib/server/import/types.ts';
import { TEXT_ENCODINGS, type TextEncoding } from '../lib/server/import/decode.ts';
import { problemLine, runImport, type ImportSummary } from '../lib/server/import/pipeline.ts';
import { openMigrated } from './database.ts';
import { parseEventTarget, type ValueMaps } from '../lib/server/import/value-maps.ts';
import { CliError } from './errors.ts';

export const IMPORT_HELP = `terrain import FILE --into incidents|health-facilities|idp-camps|displacement-locations|checkpoints|sites|actors
       [--format acled|ucdp|hxl|csv|xlsx|geojson|kml|kmz] [--map FIELD=COLUMN …] [--mapping NAME]
       [--source NAME] [--encoding utf-8|utf-16le|utf-16be|windows-1256|windows-1252|iso-8859-1]
       [--dates dmy|mdy] [--value 'VALUE=EVENT_TYPE[/SUB-TYPE]' …]
       [--status reported|verified] [--dry-run] [--valid-only] [--merge-duplicates] [--as EMAIL] [--json]`;

/** CLI names of the targets (also accepted: the table names). */
export const TARGET_NAMES: Record<string, ImportTarget> = {
	incidents: 'incidents',
	'health-facilities': 'health_facilities',
	'idp-camps': 'idp_camps',
	checkpoints: 'checkpoints',
	sites: 'org_sites',
	'org-sites': 'org_sites',
	actors: 'actors',
	'displacement-locations': 'displacement_locations'
};

export function parseTarget(raw: string | undefined, flag = '--into'): ImportTarget {
	if (!raw) throw new CliError(`${flag} is required: ${Object.keys(TARGET_NAMES).join(', ')}`);
	const t = TARGET_NAMES[raw] ?? (IMPORT_TARGETS as readonly string[]).find((x) => x === raw);
	if (!t) throw new CliError(`${flag} ${raw}: use one of ${Object.keys(TARGET_NAMES).join(', ')}`);
	return t as ImportTarget;
}

/** The user an import or export runs as: --as EMAIL, else the first admin. */
export async function cliUser(db: Adapter, email: string | undefined): Promise<CallerUser> {
	if (email) {
		const u = await db.rpc<{
			id: string;
			email: string;
			role: CallerUser['role'];
			disabled: boolean;
		} | null>('private.account_credentials', { p_email: email }, 'service');
		if (!u) throw new CliError(`--as ${email}: no such user`);
		if (u.disabled) throw new CliError(`--as ${email}: this account is disabled`);
		return { id: u.id, email: u.email, role: u.role };
	}
	const users = await db.rpc<
		{ id: string; email: string; role: CallerUser['role']; disabled: boolean; created_at: string }[]
	>('users_list', {}, 'service');
	const admin = users
		.filter((u) => u.role === 'admin' && !u.disabled)
		.sort((a, b) => a.created_at.localeCompare(b.created_at))[0];
	if (!admin)
		throw new CliError('there is no admin yet: run `terrain serve` once, or give --as EMAIL');
	return { id: admin.id, email: admin.email, role: admin.role };
}

/** --value 'gunfire=battles/Armed clash': the event type column's own words mapped to our codes. */
function parseValues(pairs: string[] = []): ValueMaps {
	if (!pairs.length) return {};
	const m: Record<string, string> = {};
	for (const p of pairs) {
		const i = p.lastIndexOf('=');
		if (i <= 0) throw new CliError(`--value ${p}: expected VALUE=EVENT_TYPE[/SUB-TYPE]`);
		const target = p.slice(i + 1).trim();
		try {
			parseEventTarget(target);
		} catch (e) {
			throw new CliError(`--value ${p}: ${(e as Error).message}`);
		}
		m[p.slice(0, i).trim()] = target;
	}
	return { event_type: m };
}

function parseMap(pairs: string[] = []): Record<string, string | null> {
	const m: Record<string, string | null> = {};
	for (const p of pairs) {
		const i = p.indexOf('=');
		if (i <= 0)
			throw new CliError(`--map ${p}: expected FIELD=COLUMN (FIELD= to leave a field out)`);
		m[p.slice(0, i).trim()] = p.slice(i + 1).trim() || null;
	}
	return m;
}

export function summaryText(s: ImportSummary): string[] {
	const lines: string[] = [];
	if (s.fatal) {
		lines.push(
			`${s.file}: ${s.fatal.row ? `row ${s.fatal.row}${s.fatal.column ? `, column ${s.fatal.column}` : ''}: ` : ''}${s.fatal.message}`
		);
		if (s.fatal.code === 'date_order') lines.push('give the order with --dates dmy or --dates mdy');
		else if (/^no column for|^no location column|^the mapping/.test(s.fatal.message))
			lines.push('map columns with --map FIELD=COLUMN');
		else if (/^name the source/.test(s.fatal.message)) lines.push('name it with --source NAME');
		lines.push('nothing was imported');
		return lines;
	}
	lines.push(
		`${s.file}: ${s.container}${s.preset && s.preset !== 'columns' ? ` (${s.preset})` : ''}${s.encoding ? `, ${s.encoding}` : ''} → ${s.target} as source "${s.source}"`
	);
	lines.push(
		`columns: ${Object.entries(s.mapping)
			.map(([f, c]) => `${f}=${c}`)
			.join(', ')}`
	);
	for (const p of s.problems) lines.push(problemLine(s.file, p));
	if (s.problems_total > s.problems.length)
		lines.push(`… and ${s.problems_total - s.problems.length} more problems`);
	for (const d of s.duplicates.slice(0, 20))
		lines.push(
			`${s.file}: row ${d.row}: likely duplicate of incident ${d.of[0].id} (${d.of[0].distance_km} km, ${d.of[0].days_apart} days apart)`
		);
	if (s.values?.unmatched.length)
		lines.push(
			`event types not recognised in column ${s.values.column}: ${s.values.unmatched
				.slice(0, 20)
				.map((u) => `"${u.value}" (${u.rows})`)
				.join(', ')}; map them with --value 'VALUE=EVENT_TYPE[/SUB-TYPE]'`
		);
	if (s.date_order.from === 'file' && s.date_order.order)
		lines.push(`dates read ${s.date_order.order === 'dmy' ? 'day first' : 'month first'}`);
	if (s.placement)
		lines.push(
			`placed: ${s.placement.point} at their coordinates, ${s.placement.admin3} at a sub-district, ${s.placement.admin2} at a district, ${s.placement.admin1} at a governorate (${s.placement.points} distinct points)`
		);
	if (s.dry_run && s.source_needed)
		lines.push(`name the source with --source NAME (suggested: ${s.source})`);
	const counts = `rows read ${s.rows_read}, valid ${s.valid}, imported ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}, skipped ${s.skipped}`;
	if (s.dry_run)
		lines.push(
			`dry run: rows read ${s.rows_read}, would insert ${s.inserted}, update ${s.updated}, leave unchanged ${s.unchanged}, skip ${s.skipped}; nothing was written`
		);
	else if (s.committed) lines.push(`imported: ${counts} (${(s.ms / 1000).toFixed(1)} s)`);
	else
		lines.push(
			`nothing was imported: ${s.errors} row(s) have errors; fix them, or run again with --valid-only to import the ${s.valid} valid row(s)`
		);
	return lines;
}

export async function importCommand(argv: string[], log: (s: string) => void): Promise<void> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			into: { type: 'string' },
			format: { type: 'string' },
			map: { type: 'string', multiple: true },
			value: { type: 'string', multiple: true },
			mapping: { type: 'string' },
			source: { type: 'string' },
			encoding: { type: 'string' },
			dates: { type: 'string' },
			status: { type: 'string' },
			'dry-run': { type: 'boolean' },
			'valid-only': { type: 'boolean' },
			'merge-duplicates': { type: 'boolean' },
			as: { type: 'string' },
			json: { type: 'boolean' },
			help: { type: 'boolean', short: 'h' }
		}
	});
	if (values.help) return log(IMPORT_HELP);
	if (positionals.length !== 1) throw new CliError(`give one FILE to import\n${IMPORT_HELP}`);
	const file = resolve(positionals[0]);
	if (!existsSync(file) || !statSync(file).isFile())
		throw new CliError(`${positionals[0]}: no such file`);
	const target = parseTarget(values.into);
	const format = values.format as ImportFormat | undefined;
	if (format && !IMPORT_FORMATS.includes(format))
		throw new CliError(`--format ${format}: use one of ${IMPORT_FORMATS.join(', ')}`);
	const encoding = values.encoding?.toLowerCase() as TextEncoding | undefined;
	if (encoding && !TEXT_ENCODINGS.includes(encoding))
		throw new CliError(`--encoding ${encoding}: use one of ${TEXT_ENCODINGS.join(', ')}`);
	if (values.dates && !['dmy', 'mdy'].includes(values.dates))
		throw new CliError('--dates: dmy (15/03/2024) or mdy (03/15/2024)');
	if (values.status && !['reported', 'verified'].includes(values.status))
		throw new CliError('--status: reported or verified');

	const db = await openMigrated(values.json ? () => {} : (s) => console.error(s));
	try {
		const as = await cliUser(db, values.as);
		let map = parseMap(values.map);
		if (values.mapping) {
			const saved = await db.rpc<{ name: string; mapping: Record<string, string> }[]>(
				'import_mappings_list',
				{ p_target: target },
				as
			);
			const m = saved.find((x) => x.name.toLowerCase() === values.mapping!.toLowerCase());
			if (!m)
				throw new CliError(
					`--mapping ${values.mapping}: no saved mapping of that name for ${target} (saved: ${saved.map((x) => x.name).join(', ') || 'none'})`
				);
			map = { ...m.mapping, ...map };
		}
		const tty = process.stderr.isTTY && !values.json;
		const summary = await runImport({
			db,
			as,
			file,
			fileName: positionals[0].split(/[\\/]/).pop(),
			target,
			format,
			map,
			values: parseValues(values.value),
			source: values.source,
			encoding,
			dateOrder: values.dates as 'dmy' | 'mdy' | undefined,
			status: values.status as 'reported' | 'verified' | undefined,
			dryRun: !!values['dry-run'],
			validOnly: !!values['valid-only'],
			mergeDuplicates: !!values['merge-duplicates'],
			checkDuplicates: !!values['dry-run'],
			onProgress: values.json
				? undefined
				: (p) => {
						const pct = p.totalBytes
							? ` (${Math.min(100, Math.round((p.bytes / p.totalBytes) * 100))}%)`
							: '';
						const line =
							p.phase === 'committing'
								? `committing ${p.rows} rows…`
								: p.phase === 'reading'
									? `read ${p.rows} rows${pct}`
									: '';
						if (!line) return tty ? process.stderr.write('\n') && undefined : undefined;
						if (tty) process.stderr.write(`\r${line}   `);
						else if (p.phase === 'committing' || p.rows % 50_000 === 0) console.error(line);
					}
		});
		if (values.json) {
			const { preview: _p, ...rest } = summary;
			console.log(JSON.stringify(rest, null, 2));
		} else {
			for (const l of summaryText(summary)) log(l);
		}
		if (summary.fatal || (!summary.dry_run && !summary.committed)) process.exitCode = 1;
	} finally {
		await db.close();
	}
}
