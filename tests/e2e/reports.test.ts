/**
 * Sitreps as a person gets them: the PDF from the API (session and API token), its text read
 * back with pdftotext (poppler-utils) against the API's own total for October 2016, the viewer's
 * PDF holding the viewer's (smaller) total, the CLI writing the same PDF through the running
 * server, and the /reports page: a period chosen in the form, saved as a report, a Markdown
 * section written and the report made final — screens at desktop and 390 px, en and ar.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2e, http, runCli, sessionCookie, tempDir } from './helpers/server';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser';

const OCT = 'from=2016-10-01&to=2016-10-31';
const dir = tempDir('terrain-e2e-reports-');
const pdfText = (bytes: Uint8Array, name: string) => {
	const file = join(dir, name);
	writeFileSync(file, bytes);
	return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
};
/** The headline figure: "97" printed just above (or beside) the word "incidents". */
const headline = (text: string) =>
	/(\d[\d,]*)\s*\n?\s*incidents\b/.exec(text)?.[1]?.replace(/,/g, '');

describe('sitrep PDF', () => {
	let analyst: string;
	let viewer: string;
	let total: number;

	beforeAll(async () => {
		analyst = await sessionCookie('analyst');
		viewer = await sessionCookie('viewer');
		const r = await http(`/api/v1/reports/sitrep?${OCT}`, { cookie: analyst });
		expect(r.status).toBe(200);
		total = (await r.json()).headline.total;
		expect(total).toBeGreaterThan(10);
	});

	it('is application/pdf and its text holds the period total the API gives', async () => {
		const r = await http(`/api/v1/reports/sitrep?${OCT}&format=pdf`, { cookie: analyst });
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toBe('application/pdf');
		const text = pdfText(new Uint8Array(await r.arrayBuffer()), 'analyst.pdf');
		expect(headline(text)).toBe(String(total));
		expect(text).toMatch(/RESTRICTED — /);
		expect(text).toContain('Ninewa');
	}, 120_000);

	it('follows the reader: the viewer’s PDF holds the viewer’s total', async () => {
		const j = await (await http(`/api/v1/reports/sitrep?${OCT}`, { cookie: viewer })).json();
		const r = await http(`/api/v1/reports/sitrep?${OCT}&format=pdf`, { cookie: viewer });
		expect(r.headers.get('content-type')).toBe('application/pdf');
		const text = pdfText(new Uint8Array(await r.arrayBuffer()), 'viewer.pdf');
		expect(headline(text)).toBe(String(j.headline.total));
	}, 120_000);

	it('renders with an API token, and from the CLI through the running server', async () => {
		const { cliToken, baseUrl } = e2e();
		const r = await http(`/api/v1/reports/sitrep?${OCT}&format=pdf`, { token: cliToken });
		expect(r.headers.get('content-type')).toBe('application/pdf');
		const out = join(dir, 'cli.pdf');
		const c = await runCli(
			['report', 'sitrep', '--from', '2016-10-01', '--to', '2016-10-31', '--pdf', out],
			{ TERRAIN_URL: baseUrl, TERRAIN_TOKEN: cliToken }
		);
		expect(c.stderr).toBe('');
		expect(c.code).toBe(0);
		expect(headline(pdfText(readFileSync(out), 'cli2.pdf'))).toBe(String(total));
		const bad = await runCli(['report', 'sitrep', '--from', '2016-10-31', '--to', '2016-10-01'], {
			TERRAIN_URL: baseUrl,
			TERRAIN_TOKEN: cliToken
		});
		expect(bad.code).not.toBe(0);
		expect(bad.stderr).toMatch(/400: to: the period ends before it starts/);
	}, 180_000);

	it('refuses a bad period before rendering anything', async () => {
		const r = await http('/api/v1/reports/sitrep?from=2016-10-31&to=2016-10-01&format=pdf', {
			cookie: analyst
		});
		expect(r.status).toBe(400);
		expect((await r.json()).parameter).toBe('to');
	});
});

describe('/reports page', () => {
	let b: TestBrowser;
	beforeAll(async () => {
		b = await openBrowser({ viewport: { width: 1280, height: 900 } });
		await signIn(b.page, e2e().baseUrl, 'analyst');
	});
	afterAll(() => b?.close());

	it('shows a chosen period, saves it as a report, and takes a Markdown section to final', async () => {
		const { page } = b;
		const { baseUrl } = e2e();
		await page.goto(`${baseUrl}/reports`);
		const form = page.getByTestId('sitrep-form');
		await form.locator('input[name="from"]').fill('2016-10-01');
		await form.locator('input[name="to"]').fill('2016-10-31');
		await form.locator('select[name="area"]').selectOption('IQG15');
		await form.locator('button').click();
		await page.waitForURL(/area=IQG15/);
		const api = await (
			await http(`/api/v1/reports/sitrep?${OCT}&area=IQG15`, {
				cookie: await sessionCookie('analyst')
			})
		).json();
		await expect
			.poll(() => page.getByTestId('sitrep-total').locator('b').textContent())
			.toBe(String(api.headline.total));
		await page.locator('[data-print-ready]').waitFor({ state: 'attached' });
		await screenshot(page, 'reports-desktop-en');

		const save = page.getByTestId('report-save');
		await save.locator('input[name="title"]').fill('Ninewa — October 2016');
		await save.locator('button').click();
		await page.waitForURL(/\/reports\/[0-9a-f-]{36}$/);
		const id = page.url().split('/').pop()!;

		const edit = page.getByTestId('report-edit');
		await edit
			.locator('textarea[name="markdown_0"]')
			.fill('The **Mosul** offensive began on 17 October.');
		await edit.locator('select[name="status"]').selectOption('final');
		await edit.locator('button:not([type="button"])').click();
		await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Saved/);

		// read back through the API, field by field
		const viewerCookie = await sessionCookie('viewer');
		const r = await (await http(`/api/v1/reports/${id}`, { cookie: viewerCookie })).json();
		expect(r).toMatchObject({
			title: 'Ninewa — October 2016',
			status: 'final',
			version: 2,
			area_pcode: 'IQG15',
			period_from: '2016-10-01',
			period_to: '2016-10-31'
		});
		expect(r.sections[0].markdown).toBe('The **Mosul** offensive began on 17 October.');
		// the Markdown is rendered (sanitised) in the document
		await expect.poll(() => page.locator('.analyst strong').textContent()).toBe('Mosul');
		await screenshot(page, 'report-saved-desktop-en');

		// the viewer's PDF of the shared report holds the section and the viewer's total
		const pdf = await http(`/api/v1/reports/${id}?format=pdf`, { cookie: viewerCookie });
		expect(pdf.headers.get('content-type')).toBe('application/pdf');
		const text = pdfText(new Uint8Array(await pdf.arrayBuffer()), 'saved.pdf');
		expect(text).toContain('offensive began on 17 October');
		const vj = await (
			await http(`/api/v1/reports/sitrep?${OCT}&area=IQG15`, { cookie: viewerCookie })
		).json();
		expect(headline(text)).toBe(String(vj.headline.total));
	}, 180_000);

	it('reads at 390 px and in Arabic', async () => {
		const ar = await openBrowser({ viewport: { width: 390, height: 844 }, locale: 'ar' });
		try {
			await signIn(ar.page, e2e().baseUrl, 'viewer');
			await ar.page.goto(`${e2e().baseUrl}/reports?${OCT}`);
			await ar.page.locator('[data-print-ready]').waitFor({ state: 'attached' });
			expect(await ar.page.locator('html').getAttribute('dir')).toBe('rtl');
			expect(await ar.page.getByRole('heading', { level: 1 }).first().textContent()).toBe(
				'التقارير'
			);
			// nothing wider than the screen
			const overflow = await ar.page.evaluate(
				() => document.documentElement.scrollWidth - document.documentElement.clientWidth
			);
			expect(overflow).toBeLessThanOrEqual(0);
			await screenshot(ar.page, 'reports-390-ar');
		} finally {
			await ar.close();
		}
	}, 120_000);
});
