/**
 * `terrain report sitrep --from D --to D [--area PCODE | --base ID] [--pdf FILE] [--url URL] [--token T]`
 *
 * Through the running server's API (GET /api/v1/reports/sitrep), with a personal API token: the
 * PDF is rendered by the server (headless Chromium loading the print page as the token's user),
 * so the CLI never opens the database itself and the token's RLS applies to the figures.
 * Without --pdf it prints the sitrep as JSON.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CliError } from './errors.ts';

export const REPORT_HELP = `terrain report sitrep --from YYYY-MM-DD --to YYYY-MM-DD [--area PCODE | --base SITE_ID]
                      [--pdf out.pdf] [--url http://127.0.0.1:3000] [--token TOKEN]
  Asks the running server (--url, or TERRAIN_URL, default http://127.0.0.1:$PORT or :3000) as the
  user of an API token (--token, or TERRAIN_TOKEN; make one with terrain token create).
  With --pdf the server renders the PDF; otherwise the sitrep is printed as JSON.`;

export async function reportCommand(argv: string[], log: (s: string) => void): Promise<void> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			from: { type: 'string' },
			to: { type: 'string' },
			area: { type: 'string' },
			base: { type: 'string' },
			pdf: { type: 'string' },
			url: { type: 'string' },
			token: { type: 'string' },
			help: { type: 'boolean', short: 'h' }
		}
	});
	if (values.help || !positionals[0]) return log(REPORT_HELP);
	if (positionals[0] !== 'sitrep')
		throw new CliError(`unknown: report ${positionals[0]}\n${REPORT_HELP}`);
	if (!values.from || !values.to) throw new CliError('--from and --to are required (YYYY-MM-DD)');
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
	const q = new URLSearchParams({ from: values.from, to: values.to });
	if (values.area) q.set('area', values.area);
	if (values.base) q.set('base', values.base);
	if (values.pdf) q.set('format', 'pdf');
	let r: Response;
	try {
		r = await fetch(`${base}/api/v1/reports/sitrep?${q}`, {
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
