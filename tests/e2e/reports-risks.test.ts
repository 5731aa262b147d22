/**
 * The risk register as people use it: an analyst asks what the incidents of Sinjar suggest for
 * armed conflict (as of 31 October 2016), sets a different likelihood with a reason, fills the
 * form top to bottom and sees the risk on the 5 × 5 matrix; the API reads it back field by field.
 * The dates (as of, review, mitigation due) are typed day first, as a person reads them, into the
 * app's DateField. They accept it (who and when, one version more, the previous state in the
 * history). Saving the residual form without changing anything writes nothing: same version,
 * history, updated_at and suggestion, no new audit row; a review date typed in Arabic digits is
 * then saved. The register's PDF (pdftotext) holds the risk with its score. In Arabic the back
 * link's arrow and the matrix's impact arrow point right to left. Screens at 1366 and 390 px,
 * English and Arabic. The risk is reviewed far in the future: no reminder alert.
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
const latin = (s: string) => s.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660));

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
			// day first, as the field's hint says; Tab leaves the field as a person does
			const date = (name: string) => f.getByRole('textbox', { name, exact: true });
			await date('Suggest as of (default today)').fill('31/10/2016');
			await date('Suggest as of (default today)').press('Tab');
			await f.getByRole('button', { name: 'Suggest the likelihood from incidents' }).click();
			await expect
				.poll(() => page.getByTestId('suggestion').getAttribute('data-suggested'))
				.toBe(String(sug.suggested));
			await f.locator('input[name="likelihood"]').fill(String(chosen));
			await f.locator('input[name="impact"]').fill('4');
			await f.locator('input[name="likelihood_reason"]').fill(`Artillery seen ${tag}`);
			await date('Review date').fill('30/06/2030');
			await date('Review date').press('Tab');
			await f.locator('input[name="mitigation_action"]').fill('Travel in pairs, by day');
			await f.locator('input[name="mitigation_owner"]').fill('Logistics lead');
			await date('Due date').fill('15/01/2030');
			await date('Due date').press('Tab');
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
			await page.setViewportSize({ width: 390, height: 844 });
			await shot(page, 'risk-390-en');
			expect(b.requests.errors).toEqual([]);
		} finally {
			await b.close();
		}
	}, 300_000);

	it('saving the form without changing anything writes nothing; a new review date is saved', async () => {
		const analyst = await sessionCookie('analyst');
		const admin = await sessionCookie('admin');
		const auditRows = async () =>
			(
				await (
					await http(`/api/v1/audit?table=risks&row=${id}&limit=1000`, { cookie: admin })
				).json()
			).rows.length;
		const before = await (await http(`/api/v1/risks/${id}`, { cookie: analyst })).json();
		const auditBefore = await auditRows();
		expect(auditBefore).toBeGreaterThan(0);
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
			// right to left: the arrows are turned round (a plain ← or → is not mirrored by bidi)
			const turned = (l: ReturnType<typeof page.locator>) =>
				l.evaluate((e) => getComputedStyle(e).transform);
			expect(await turned(page.getByTestId('back-link').locator('.arrow'))).toMatch(/^matrix\(-1,/);
			expect(await turned(page.getByTestId('impact-arrow'))).toMatch(/^matrix\(-1,/);
			await shot(page, 'risk-390-ar');
			await page.setViewportSize({ width: 1280, height: 900 });
			await shot(page, 'risk-1280-ar');
			await page.setViewportSize({ width: 390, height: 844 });

			const after = await (await http(`/api/v1/risks/${id}`, { cookie: analyst })).json();
			expect(after).toEqual(before);
			expect(after.updated_at).toBe(before.updated_at);
			expect(after.history).toEqual(before.history);
			expect(await auditRows()).toBe(auditBefore);

			// a new review date, typed day first in Arabic digits, is saved as that day
			const review = page.locator('form[action="?/residual"]').getByTestId('date-field');
			expect(latin(await review.inputValue())).toBe('30/06/2030');
			await review.fill('٣١/١٢/٢٠٣٠');
			await review.press('Tab');
			const answer2 = page.waitForResponse((r) => r.request().method() === 'POST');
			await save.click();
			expect((await answer2).status()).toBe(200);
			await expect.poll(async () => latin(await review.inputValue())).toBe('31/12/2030');
		} finally {
			await b.close();
		}
		const changed = await (await http(`/api/v1/risks/${id}`, { cookie: analyst })).json();
		expect(changed).toMatchObject({
			review_date: '2030-12-31',
			version: before.version + 1,
			likelihood: before.likelihood,
			impact: before.impact,
			residual_likelihood: null,
			residual_impact: null,
			suggestion: before.suggestion
		});
		expect(changed.history[0].content.review_date).toBe('2030-06-30');
		expect(await auditRows()).toBeGreaterThan(auditBefore);
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
