/**
 * The risk register as people use it: an analyst asks what the incidents of Sinjar suggest for
 * armed conflict (as of 31 October 2016), sets a different likelihood with a reason, fills the
 * form top to bottom and sees the risk on the 5 × 5 matrix; the API reads it back field by field.
 * They accept it (who and when, one version more, the previous state in the history). Saving the
 * residual form without changing anything changes nothing: same version, same history, same
 * suggestion. The register's PDF (pdftotext) holds the risk with its score. Screens at 1366 and
 * 390 px, English and Arabic. The risk is reviewed far in the future: no reminder alert.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { e2e, http, sessionCookie, tempDir } from './helpers/server';
import { openBrowser, signIn } from './helpers/browser';
import { overflow, pdfText, shot } from './helpers/documents';

const { baseUrl } = e2e();
const dir = tempDir('terrain-e2e-risks-');
const tag = randomBytes(3).toString('hex');
const TITLE = `Shelling on the Sinjar road ${tag}`;
const SINJAR = 'IQG15Q07';
const AS_OF = '2016-10-31';

describe('risk register', () => {
	let id = '';

	it('an analyst puts a risk on the matrix through the form and accepts it', async () => {
		const analyst = await sessionCookie('analyst');
		const sug = await (
			await http(`/api/v1/risks/suggest?area=${SINJAR}&category=armed_conflict&as_of=${AS_OF}`, {
				cookie: analyst
			})
		).json();
		expect(sug.available, JSON.stringify(sug)).toBe(true);
		const chosen = sug.suggested === 5 ? 4 : sug.suggested + 1;

		const b = await openBrowser({ viewport: { width: 1366, height: 900 } });
		try {
			const { page } = b;
			page.setDefaultTimeout(90_000);
			await signIn(page, baseUrl, 'analyst');
			await page.goto(`${baseUrl}/risks`);
			const f = page.getByTestId('risk-form');
			await f.locator('input[name="title"]').fill(TITLE);
			await f.locator('select[name="scope"]').selectOption('area');
			await f.locator('select[name="area_pcode"]').selectOption(SINJAR);
			await f.locator('select[name="threat_category"]').selectOption('armed_conflict');
			await f.locator('textarea[name="vulnerability"]').fill('Two vehicles cross the plain daily');
			await f.locator('input[name="as_of"]').fill(AS_OF);
			await f.getByRole('button', { name: 'Suggest the likelihood from incidents' }).click();
			await expect
				.poll(() => page.getByTestId('suggestion').getAttribute('data-suggested'))
				.toBe(String(sug.suggested));
			await f.locator('input[name="likelihood"]').fill(String(chosen));
			await f.locator('input[name="impact"]').fill('4');
			await f.locator('input[name="likelihood_reason"]').fill(`Artillery seen ${tag}`);
			await f.locator('input[name="review_date"]').fill('2030-06-30');
			await f.locator('input[name="mitigation_action"]').fill('Travel in pairs, by day');
			await f.locator('input[name="mitigation_owner"]').fill('Logistics lead');
			await f.locator('input[name="mitigation_due"]').fill('2030-01-15');
			await shot(page, 'risk-form-1366-en');
			await f.locator('button:not([type="button"])').click();
			await page.waitForURL(/\/risks\/[0-9a-f-]{36}$/);
			id = page.url().split('/').pop()!;
			await expect
				.poll(() => page.getByTestId(`cell-${chosen}-4`).getAttribute('data-count'))
				.toBe('1');

			const r = await (await http(`/api/v1/risks/${id}`, { cookie: analyst })).json();
			expect(r).toMatchObject({
				id,
				title: TITLE,
				scope: 'area',
				area_pcode: SINJAR,
				base_id: null,
				threat_category: 'armed_conflict',
				vulnerability: 'Two vehicles cross the plain daily',
				likelihood: chosen,
				impact: 4,
				score: chosen * 4,
				likelihood_suggested: sug.suggested,
				likelihood_reason: `Artillery seen ${tag}`,
				residual_likelihood: null,
				residual_impact: null,
				review_date: '2030-06-30',
				accepted_at: null,
				version: 1,
				area_name_en: 'Sinjar'
			});
			expect(r.suggestion).toMatchObject({
				suggested: sug.suggested,
				n_52w: sug.n_52w,
				window: sug.window
			});
			expect(r.mitigations).toMatchObject([
				{
					action: 'Travel in pairs, by day',
					owner: 'Logistics lead',
					due_date: '2030-01-15',
					done: false
				}
			]);

			await page.getByTestId('risk-accept').click();
			await expect
				.poll(() => page.getByTestId('risk-accepted').textContent())
				.toMatch(/Accepted by/);
			const a = await (await http(`/api/v1/risks/${id}`, { cookie: analyst })).json();
			expect(a.version).toBe(2);
			expect(a.accepted_by_name).toBeTruthy();
			expect(Date.now() - Date.parse(a.accepted_at)).toBeLessThan(10 * 60_000);
			expect(a.history.map((h: { version: number }) => h.version)).toEqual([1]);
			expect(a.history[0].content.accepted_at).toBeNull();
			await shot(page, 'risk-1366-en');
			expect(b.requests.errors).toEqual([]);
		} finally {
			await b.close();
		}
	}, 300_000);

	it('saving the form without changing anything changes nothing', async () => {
		const analyst = await sessionCookie('analyst');
		const before = await (await http(`/api/v1/risks/${id}`, { cookie: analyst })).json();
		const b = await openBrowser({ viewport: { width: 390, height: 844 }, locale: 'ar' });
		try {
			const { page } = b;
			page.setDefaultTimeout(90_000);
			await signIn(page, baseUrl, 'analyst');
			await page.goto(`${baseUrl}/risks/${id}`);
			await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('rtl');
			const save = page.locator('form[action="?/residual"] button');
			const answer = page.waitForResponse((r) => r.request().method() === 'POST');
			await save.click();
			expect((await answer).status()).toBe(200);
			await expect(page.getByRole('alert').count()).resolves.toBe(0);
			expect(await overflow(page)).toBeLessThanOrEqual(1);
			await shot(page, 'risk-390-ar');
		} finally {
			await b.close();
		}
		const after = await (await http(`/api/v1/risks/${id}`, { cookie: analyst })).json();
		expect(after).toEqual(before);
	}, 300_000);

	it('the register’s PDF holds the risk and its score; the viewer reads the register too', async () => {
		const analyst = await sessionCookie('analyst');
		const r = await http('/api/v1/risks?format=pdf', { cookie: analyst });
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toBe('application/pdf');
		const text = pdfText(await r.arrayBuffer(), dir, 'register.pdf');
		// pdftotext reads the table's cells interleaved: the title's words, not its phrase
		for (const w of TITLE.split(' ')) expect(text).toContain(w);
		expect(text).toMatch(/RESTRICTED — /);
		const risk = await (await http(`/api/v1/risks/${id}`, { cookie: analyst })).json();
		expect(text).toMatch(new RegExp(`\\b${risk.score}\\b`));

		const b = await openBrowser({ viewport: { width: 1366, height: 900 }, locale: 'ar' });
		try {
			const { page } = b;
			page.setDefaultTimeout(90_000);
			await signIn(page, baseUrl, 'viewer');
			await page.goto(`${baseUrl}/risks`);
			await expect.poll(() => page.getByText(TITLE).count()).toBeGreaterThan(0);
			await expect(page.getByTestId('risk-form').count()).resolves.toBe(0);
			await shot(page, 'risks-1366-ar');
		} finally {
			await b.close();
		}
	}, 300_000);
});
