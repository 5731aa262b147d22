/**
 * A saved assessment on paper from the server: GET /api/v1/assessments/ID?format=pdf and
 * `terrain report assessment ID --pdf FILE` answer a PDF (read with pdftotext) with the
 * classification marking, the title, the notes and the incident total. Need-to-know: the
 * analyst's PDF names a restricted contact in Sinjar, the viewer's (of the same final
 * assessment) does not. `terrain report risks --pdf` and `report briefing` go through the same
 * API; a bad id is refused in one line.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { e2e, http, runCli, sessionCookie, tempDir } from './helpers/server';
import { pdfText } from './helpers/documents';

const { baseUrl, cliToken } = e2e();
const dir = tempDir('terrain-e2e-assess-pdf-');
const tag = randomBytes(3).toString('hex');
const SINJAR = 'IQG15Q07';
const TITLE = `Sinjar on paper ${tag}`;
const RESTRICTED = `Hidden Interlocutor${tag}`;
const cliArgs = ['--url', baseUrl, '--token', cliToken];

describe('an assessment as a PDF', () => {
	let analyst: string;
	let viewer: string;
	let id = '';
	let total = 0;

	beforeAll(async () => {
		analyst = await sessionCookie('analyst');
		viewer = await sessionCookie('viewer');
		const c = await http('/api/v1/contacts', {
			method: 'POST',
			cookie: analyst,
			body: { full_name: RESTRICTED, sensitivity: 'restricted', areas: [SINJAR] }
		});
		expect(c.status, await c.clone().text()).toBe(201);
		const a = await http('/api/v1/assessments', {
			method: 'POST',
			cookie: analyst,
			body: { title: TITLE, query: { area: SINJAR }, notes: `Paper notes **${tag}**` }
		});
		expect(a.status, await a.clone().text()).toBe(201);
		const saved = await a.json();
		id = saved.id;
		total = saved.snapshot.incidents.total;
		expect(JSON.stringify(saved.snapshot.contacts.names)).toContain(RESTRICTED);
		const f = await http(`/api/v1/assessments/${id}`, {
			method: 'PATCH',
			cookie: analyst,
			body: { status: 'final' }
		});
		expect(f.status).toBe(200);
	}, 120_000);

	it('the analyst’s PDF (API and CLI) names the restricted contact; the viewer’s does not', async () => {
		const file = join(dir, 'analyst.pdf');
		const r = await runCli(['report', 'assessment', id, '--pdf', file, ...cliArgs], {});
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toMatch(/wrote .*analyst\.pdf \(\d+ bytes\)/);
		const ta = pdfText(readFileSync(file), dir, 'analyst-copy.pdf');
		expect(ta).toMatch(/RESTRICTED — /);
		expect(ta).toContain(TITLE);
		expect(ta).toContain(`Paper notes ${tag}`);
		expect(ta).toContain(RESTRICTED);
		// pdftotext may read the figures' grid column by column: the label and the number.
		expect(ta).toContain('All time');
		expect(ta).toMatch(new RegExp(`\\b${total.toLocaleString('en-GB')}\\b`));

		const rv = await http(`/api/v1/assessments/${id}?format=pdf`, { cookie: viewer });
		expect(rv.status).toBe(200);
		expect(rv.headers.get('content-type')).toBe('application/pdf');
		const tv = pdfText(await rv.arrayBuffer(), dir, 'viewer.pdf');
		expect(tv).toContain(TITLE);
		expect(tv).toMatch(/RESTRICTED — /);
		expect(tv).not.toContain(`Interlocutor${tag}`);
		expect(tv).not.toContain('Hidden Interlocutor');
	}, 240_000);

	it('the CLI prints the risk register and refuses bad ids in one line', async () => {
		const file = join(dir, 'risks.pdf');
		const r = await runCli(['report', 'risks', '--pdf', file, ...cliArgs], {});
		expect(r.code, r.stderr).toBe(0);
		expect(pdfText(readFileSync(file), dir, 'risks-copy.pdf')).toMatch(/Risk register/);
		const bad = await runCli(['report', 'briefing', 'nope', '--pdf', file, ...cliArgs], {});
		expect(bad.code).not.toBe(0);
		expect(bad.lines).toEqual([expect.stringMatching(/give the briefing pack's id/)]);
		const gone = await runCli(
			['report', 'briefing', '00000000-0000-4000-8000-000000000000', '--pdf', file, ...cliArgs],
			{}
		);
		expect(gone.code).not.toBe(0);
		expect(gone.stderr).toMatch(/the server answered 404: no such briefing pack/);
	}, 240_000);
});
