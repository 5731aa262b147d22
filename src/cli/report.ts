/**
 * `terrain report sitrep --from D --to D [--area PCODE | --base ID] [--pdf FILE]`
 * `terrain report assessment ID [--pdf FILE]`, `terrain report briefing ID [--pdf FILE]`,
 * `terrain report risks [--scope S --key K] [--pdf FILE]`   (each with [--url URL] [--token T])
 *
 * Through the running server's API (GET /api/v1/reports/sitrep, /assessments/ID, /briefings/ID,
 * /risks), with a personal API token: the PDF is rendered by the server (headless Chromium
 * loading the print page as the token's user), so the CLI never opens the database itself and
 * the token's RLS and need-to-know apply to what it gets. Without --pdf it prints the JSON.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CliError } from './errors.ts';
import { UUID } from '../lib/domain/codes.ts';

export const REPORT_HELP = `terrain report sitrep --from YYYY-MM-DD --to YYYY-MM-DD [--area PCODE | --base SITE_ID]
terrain report assessment ID
terrain report briefing ID
terrain report risks [--scope base|area|programme --key KEY]
  each with [--pdf out.pdf] [--url http://127.0.0.1:3000] [--token TOKEN]
  Asks the running server (--url, or TERRAIN_URL, default http://127.0.0.1:$PORT or :3000) as the
  user of an API token (--token, or TERRAIN_TOKEN; make one with terrain token create).
  With --pdf the server renders the PDF; otherwise the document is printed as JSON.`;

type Values = Record<string, string | boolean | undefined>;

/** The API path and query of a report kind; a missing or bad argument is refused in one line. */
function endpoint(kind: string, id: string | undefined, v: Values): [string, URLSearchParams] {
	const q = new URLSearchParams();
	const needId = (what: string) => {
		if (!id || !UUID.test(id))
			throw new CliError(`give the ${what}'s id: terrain report ${kind} ID`);
		return id;
	};
	switch (kind) {
		case 'sitrep':
			if (!v.from || !v.to) throw new CliError('--from and --to are required (YYYY-MM-DD)');
			q.set('from', String(v.from));
			q.set('to', String(v.to));
			if (v.area) q.set('area', String(v.area));
			if (v.base) q.set('base', String(v.base));
			return ['/api/v1/reports/sitrep', q];
		case 'assessment':
			return [`/api/v1/assessments/${needId('assessment')}`, q];
		case 'briefing':
			return [`/api/v1/briefings/${needId('briefing pack')}`, q];
		case 'risks':
			if (v.scope) q.set('scope', String(v.scope));
			if (v.key) q.set('key', String(v.key));
			return ['/api/v1/risks', q];
		default:
			throw new CliError(`unknown: report ${kind}\n${REPORT_HELP}`);
	}
}

export async function reportCommand(argv: string[], log: (s: string) => void): Promise<void> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			from: { type: 'string' },
			to: { type: 'string' },
			area: { type: 'string' },
			base: { type: 'string' },
			scope: { type: 'string' },
			key: { type: 'string' },
			pdf: { type: 'string' },
			url: { type: 'string' },
			token: { type: 'string' },
			help: { type: 'boolean', short: 'h' }
		}
	});
	if (values.help || !positionals[0]) return log(REPORT_HELP);
	const [path, q] = endpoint(positionals[0], positionals[1], values);
	const token = values.token ?? process.env.TERRAIN_TOKEN;
	if (!token)
		throw new CliError(
			'give an API token: --token T or TERRAIN_TOKEN (terrain token create --user EMAIL)'
		);
	const base = (
		values.url ??
		process.env.TERRAIN_URL ??
		`http://127.0.0.1:${process.env.PORT || 3000}`
	).replace(/\/+$/, '');
	if (values.pdf) q.set('format', 'pdf');
	let r: Response;
	try {
		r = await fetch(`${base}${path}${q.size ? `?${q}` : ''}`, {
			headers: { authorization: `Bearer ${token}`, accept: 'application/json' }
		});
	} catch {
		throw new CliError(
			`no Terrain server answers at ${base} (start it with terrain serve, or give --url)`
		);
	}
	if (!r.ok) {
		const body = (await r.json().catch(() => null)) as { message?: string } | null;
		throw new CliError(`the server answered ${r.status}: ${body?.message ?? r.statusText}`);
	}
	if (values.pdf) {
		const bytes = new Uint8Array(await r.arrayBuffer());
		writeFileSync(values.pdf, bytes);
		log(`wrote ${values.pdf} (${bytes.length} bytes)`);
	} else {
		log(JSON.stringify(await r.json(), null, 2));
	}
}
