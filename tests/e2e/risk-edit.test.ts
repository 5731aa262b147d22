/**
 * Editing a risk as a person does, on /risks/[id]: a likelihood of 7 is refused with a message
 * beside the field and nothing is saved; then the title, likelihood, impact and a new mitigation
 * (due date typed day first) are saved, and the API reads the record back field by field with
 * the previous version in the history. In Arabic, the residual fields have words, not "L"/"I",
 * and the arrows of an incident's history point right to left. Screens at 1280 and 390 px,
 * English and Arabic.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { e2e, http, sessionCookie } from './helpers/server';
import { openBrowser, signIn } from './helpers/browser';
import { overflow, shot } from './helpers/documents';

const { baseUrl } = e2e();
const tag = randomBytes(3).toString('hex');
const TITLE = `Checkpoint extortion ${tag}`;

describe('editing a risk', () => {
	let id = '';
	let incident = '';

	it('refuses a likelihood of 7 by its field, then saves the edit with its history', async () => {
		const analyst = await sessionCookie('analyst');
		const made = await http('/api/v1/risks', {
			method: 'POST',
			cookie: analyst,
			body: {
				title: TITLE,
				scope: 'programme',
				programme: 'Health',
				threat_category: 'crime',
				likelihood: 2,
				impact: 3,
				mitigations: [{ action: 'Carry no cash', owner: 'Finance' }]
			}
		});
		expect(made.status, await made.clone().text()).toBe(201);
		id = (await made.json()).id;

		const b = await openBrowser({ viewport: { width: 1280, height: 900 } });
		try {
			const { page } = b;
			page.setDefaultTimeout(90_000);
			await signIn(page, baseUrl, 'analyst');
			await page.goto(`${baseUrl}/risks/${id}`);
			const f = page.getByTestId('risk-edit');
			await f.getByLabel('Likelihood (1–5)').fill('7');
			await f.getByRole('button', { name: 'Save' }).click();
			const err = f.getByTestId('edit-error');
			await expect.poll(() => err.getAttribute('data-field')).toBe('likelihood');
			expect((await err.textContent())!.trim()).toBe('Likelihood: a whole number from 1 to 5');
			expect(await f.getByLabel('Likelihood (1–5)').getAttribute('aria-invalid')).toBe('true');
			await shot(page, 'risk-edit-refused-1280-en');
			const unchanged = await (await http(`/api/v1/risks/${id}`, { cookie: analyst })).json();
			expect(unchanged).toMatchObject({ version: 1, likelihood: 2, impact: 3, title: TITLE });

			await f.getByLabel('Risk', { exact: true }).fill(`${TITLE}, north`);
			await f.getByLabel('Likelihood (1–5)').fill('4');
			await f.getByLabel('Impact (1–5)').fill('5');
			const row = f.getByTestId('mitigation-row').nth(1);
			await row.getByLabel('Action').fill('Vary the route');
			await row.getByLabel('Owner').fill('Security lead');
			const due = row.getByRole('textbox', { name: 'Due date', exact: true });
			await due.fill('15/02/2031');
			await due.press('Tab');
			await f.getByTestId('mitigation-row').nth(0).getByLabel('Done').check();
			await f.getByRole('button', { name: 'Save' }).click();
			await expect.poll(() => f.getByTestId('edited').count()).toBe(1);
			await expect.poll(() => page.getByTestId('risk-score').textContent()).toContain('= 20');
			await shot(page, 'risk-edit-1280-en');
			await page.setViewportSize({ width: 390, height: 844 });
			expect(await overflow(page)).toBeLessThanOrEqual(1);
			await shot(page, 'risk-edit-390-en');
			expect(b.requests.errors).toEqual([]);
		} finally {
			await b.close();
		}
		const r = await (await http(`/api/v1/risks/${id}`, { cookie: analyst })).json();
		expect(r).toMatchObject({
			id,
			title: `${TITLE}, north`,
			likelihood: 4,
			impact: 5,
			score: 20,
			version: 2,
			scope: 'programme',
			programme: 'Health',
			threat_category: 'crime'
		});
		expect(r.mitigations).toMatchObject([
			{ action: 'Carry no cash', owner: 'Finance', due_date: null, done: true },
			{ action: 'Vary the route', owner: 'Security lead', due_date: '2031-02-15', done: false }
		]);
		expect(r.history).toHaveLength(1);
		expect(r.history[0].content).toMatchObject({
			version: 1,
			title: TITLE,
			likelihood: 2,
			impact: 3
		});
		expect(r.history[0].content.mitigations).toMatchObject([
			{ action: 'Carry no cash', done: false }
		]);
	}, 300_000);

	it('in Arabic: the residual fields in words, the history in words, the arrows reading right to left', async () => {
		const analyst = await sessionCookie('analyst');
		const created = await http('/api/v1/incidents/report', {
			method: 'POST',
			cookie: analyst,
			body: { event_date: '2016-10-02', event_type: 'battles', coordinates: '36.34, 43.13' }
		});
		expect(created.status, await created.clone().text()).toBe(201);
		incident = (await created.json()).incident.id;
		const edited = await http(`/api/v1/incidents/report/${incident}`, {
			method: 'POST',
			cookie: analyst,
			body: { fatalities: 2 }
		});
		expect(edited.status, await edited.clone().text()).toBe(200);

		const b = await openBrowser({ viewport: { width: 390, height: 844 }, locale: 'ar' });
		try {
			const { page } = b;
			page.setDefaultTimeout(90_000);
			await signIn(page, baseUrl, 'analyst');
			await page.goto(`${baseUrl}/risks/${id}`);
			await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('rtl');
			const residual = await page.locator('form[action="?/residual"]').textContent();
			expect(residual).toContain('الاحتمال المتبقي');
			expect(residual).toContain('الأثر المتبقي');
			expect(residual).not.toMatch(/\b[LI]\b/);
			expect(await page.getByText('الاحتمال 2 × الأثر 3').count()).toBe(1);
			expect(await overflow(page)).toBeLessThanOrEqual(1);
			await shot(page, 'risk-edit-390-ar');
			await page.setViewportSize({ width: 1280, height: 900 });
			await shot(page, 'risk-edit-1280-ar');

			await page.goto(`${baseUrl}/incidents/${incident}`);
			const arrow = page.getByTestId('history').locator('.arrow').first();
			await arrow.waitFor();
			expect(await arrow.evaluate((e) => getComputedStyle(e).transform)).toMatch(/^matrix\(-1,/);
			await shot(page, 'incident-history-1280-ar');
		} finally {
			await b.close();
		}
	}, 300_000);
});
