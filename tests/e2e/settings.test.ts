/**
 * The admin settings page (issue 9), as an admin uses it: every field filled top to bottom, saved,
 * the page reloaded and the values read back through the API; a wrong value is named next to its
 * field and saves nothing; saving again unchanged changes nothing and writes no audit row. Phone
 * width and Arabic screenshots of the page. The defaults are put back at the end (other test
 * files check points against the operating area).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { chooseLanguage, overflow } from './helpers/phone.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';

const { baseUrl } = e2e();
const DEFAULTS = {
	operating_area: { countries: ['IRQ'], buffer_km: 50 },
	checkpoint_stale_days: 14,
	site_match_m: 500,
	document_classification: ''
};

describe('admin settings page', () => {
	let admin: TestBrowser;
	let cookie = '';

	beforeAll(async () => {
		admin = await openBrowser();
		await signIn(admin.page, baseUrl, 'admin');
		cookie = await sessionCookie('admin');
	});
	afterAll(async () => {
		await http('/api/v1/settings', { method: 'PATCH', cookie, body: DEFAULTS });
		await admin?.close();
	});

	const settings = async () => (await http('/api/v1/settings', { cookie })).json();
	const auditRows = async () => {
		const r = await http('/api/v1/audit?table=app_settings&limit=1000', { cookie });
		expect(r.status).toBe(200);
		return ((await r.json()) as { total: number }).total;
	};
	const save = async () => {
		const p = admin.page;
		await Promise.all([
			p.waitForResponse(
				(r) => r.request().method() === 'POST' && r.url().includes('/admin/settings')
			),
			p.getByRole('button', { name: 'Save settings' }).click()
		]);
	};

	it('changes every setting, reads it back, and records only real changes', async () => {
		const p = admin.page;
		// A person reaches it from the menu.
		await p.goto(`${baseUrl}/admin/users`);
		await Promise.all([
			p.waitForURL(/\/admin\/settings$/),
			p.locator('nav a[href="/admin/settings"]').first().click()
		]);
		await expect.poll(() => p.locator('h1').textContent()).toBe('Settings');
		const audited = await auditRows();

		// Top to bottom; one value out of range first.
		await p.getByLabel('Countries').fill('irq, syr');
		await p.getByLabel('Buffer beyond the borders').fill('40');
		await p.getByLabel('A checkpoint is shown as stale after').fill('400');
		await p.getByLabel('Re-import').fill('750');
		await save();
		await expect
			.poll(() => p.locator('#checkpoint_stale_days').getAttribute('aria-invalid'))
			.toBe('true');
		expect(await p.getByRole('alert').textContent()).toContain('Nothing was saved');
		expect(await p.locator('.field p.error').allTextContents()).toEqual([
			'Enter a whole number of days from 1 to 365.'
		]);
		// What was typed stays, nothing was stored.
		expect(await p.getByLabel('Countries').inputValue()).toBe('irq, syr');
		expect(await p.getByLabel('Re-import').inputValue()).toBe('750');
		expect(await settings()).toEqual(DEFAULTS);
		expect(await auditRows()).toBe(audited);

		await p.getByLabel('A checkpoint is shown as stale after').fill('10');
		await save();
		await expect.poll(() => p.getByTestId('settings-saved').textContent()).toContain('saved');
		await p.reload();
		expect(await p.getByLabel('Countries').inputValue()).toBe('IRQ, SYR');
		expect(await p.getByLabel('Buffer beyond the borders').inputValue()).toBe('40');
		expect(await p.getByLabel('A checkpoint is shown as stale after').inputValue()).toBe('10');
		expect(await p.getByLabel('Re-import').inputValue()).toBe('750');
		expect(await p.locator('#countries-help').textContent()).toMatch(/Iraq.*Syria/);
		const s = await settings();
		expect(s.operating_area).toEqual({ countries: ['IRQ', 'SYR'], buffer_km: 40 });
		expect(s.checkpoint_stale_days).toBe(10);
		expect(s.site_match_m).toBe(750);
		// Three settings changed: three audit rows.
		expect(await auditRows()).toBe(audited + 3);

		// Saved again as it is: nothing changes, no audit row.
		await save();
		await expect
			.poll(() => p.getByTestId('settings-saved').textContent())
			.toContain('Nothing to save');
		expect(await settings()).toEqual(s);
		expect(await auditRows()).toBe(audited + 3);
		await screenshot(p, 'settings-desktop-en');
	});

	it('fits a phone screen, in Arabic too', async () => {
		const phone = await openBrowser({ viewport: { width: 390, height: 844 } });
		try {
			const p = phone.page;
			await signIn(p, baseUrl, 'admin');
			await p.goto(`${baseUrl}/admin/settings`);
			expect(await overflow(p)).toEqual({ page: 0, main: 0, offscreen: [] });
			await screenshot(p, 'settings-390-en');
			await chooseLanguage(p, 'ar');
			await p.goto(`${baseUrl}/admin/settings`);
			expect(await p.locator('h1').textContent()).toBe('الإعدادات');
			expect(await overflow(p)).toEqual({ page: 0, main: 0, offscreen: [] });
			await screenshot(p, 'settings-390-ar');
		} finally {
			await phone.close();
		}
	});

	it('is for admins only', async () => {
		const r = await http('/admin/settings', { cookie: await sessionCookie('analyst') });
		expect(r.status).toBe(403);
	});
});
