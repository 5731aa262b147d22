/**
 * Alert rules as an analyst uses them, in Chromium: they subscribe, on the rules page, to serious
 * battles within 10 km of the Dohuk base (the form filled top to bottom, read back through the API
 * field by field, a bad P-code refused with the field named and the form kept); another user then
 * reports such an incident, and the alert, with the incident, arrives on the analyst's open alerts
 * page without a reload. Screens at desktop and 390 px, in English and Arabic.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';

describe('alert rules in the browser', () => {
	const open: TestBrowser[] = [];
	afterAll(async () => {
		for (const b of open) await b.close();
	});

	it('subscribes through the page and sees a matching incident arrive live', async () => {
		const { baseUrl } = e2e();
		const name = `Serious near Dohuk base ${Date.now()}`;
		const analyst = await openBrowser();
		open.push(analyst);
		const p = analyst.page;
		await signIn(p, baseUrl, 'analyst');
		await p.goto(`${baseUrl}/alerts`);
		await p.getByTestId('rules-link').click();
		await p.waitForURL(/\/alerts\/rules$/);
		await expect.poll(() => p.getByTestId('mail-state').textContent()).toMatch(/not configured/);

		// a bad P-code first: refused, the field named, what was typed kept
		await p.getByLabel('Name').fill(name);
		await p.locator('select[name="target"]').selectOption('areas');
		await p.getByLabel('Area P-codes (comma-separated)').fill('NOPE42');
		await p.getByTestId('save-rule').click();
		await expect
			.poll(() => p.locator('[role="alert"]').textContent())
			.toMatch(/pcodes: no area NOPE42/);
		expect(await p.getByLabel('Name').inputValue()).toBe(name);

		// the real rule, top to bottom
		await p.locator('select[name="target"]').selectOption('sites');
		await p.locator('select[name="site_id"]').selectOption({ label: 'Dohuk base' });
		await p.getByLabel('Radius (km)').fill('10');
		await p.getByLabel('Battles').check();
		await p.getByLabel('Seriousness').selectOption('ngo');
		await p.getByLabel('At least this many fatalities').fill('0');
		await p.getByLabel('Ignore incidents older than (days)').fill('7');
		await p.getByLabel('Also by e-mail').uncheck();
		await p.getByTestId('save-rule').click();
		await expect.poll(() => p.getByTestId('rules').textContent()).toContain(name);
		await screenshot(p, 'alert-rules-analyst-desktop-en');

		const cookie = await sessionCookie('analyst');
		const rules = (await (await http('/api/v1/alerts/rules', { cookie })).json()) as Record<
			string,
			unknown
		>[];
		const r = rules.find((x) => x.name === name)!;
		expect(r.target).toBe('sites');
		expect(r.radius_km).toBe(10);
		expect(r.event_types).toEqual(['battles']);
		expect(r.seriousness).toBe('ngo');
		expect(r.min_fatalities).toBe(0);
		expect(r.max_age_days).toBe(7);
		expect(r.email).toBe(false);
		expect(r.enabled).toBe(true);
		expect((r.site_ids as string[]).length).toBe(1);

		// someone else reports a serious battle 2 km from the base; the analyst's page shows it live
		await p.goto(`${baseUrl}/alerts`);
		const admin = await sessionCookie('admin');
		const made = await http('/api/v1/incidents/report', {
			cookie: admin,
			method: 'POST',
			body: {
				event_date: new Date().toISOString().slice(0, 10),
				event_type: 'battles',
				lon: 42.994,
				lat: 36.8601,
				serious: true,
				fatalities: 1,
				notes: `Clash by the base ${name}`
			}
		});
		expect(made.status, await made.clone().text()).toBe(201);
		const id = (await made.json()).incident.id as string;
		const item = p.locator(`[data-testid="alert-incidents"] [data-incident="${id}"]`);
		await item.waitFor({ timeout: 60_000 });
		expect(await p.locator('[data-alert]', { has: item }).textContent()).toContain(name);
		await screenshot(p, 'alerts-rule-analyst-desktop-en');
		// a viewer's alerts hold nothing of it
		const viewer = await sessionCookie('viewer');
		expect(
			JSON.stringify(await (await http('/api/v1/alerts', { cookie: viewer })).json())
		).not.toContain(id);

		// turned off, then on again, through the page
		const row = p.locator('[data-rule]', { hasText: name });
		await p.goto(`${baseUrl}/alerts/rules`);
		await row.getByRole('button', { name: 'Turn off' }).click();
		await expect.poll(() => row.textContent()).toContain('Off');

		// screens at 390 px and in Arabic
		const phone = await openBrowser({ viewport: { width: 390, height: 844 } });
		open.push(phone);
		await signIn(phone.page, baseUrl, 'analyst');
		await phone.page.goto(`${baseUrl}/alerts/rules`);
		await screenshot(phone.page, 'alert-rules-analyst-390-en');
		await phone.context.addCookies([{ name: 'terrain_lang', value: 'ar', url: baseUrl }]);
		await phone.page.goto(`${baseUrl}/alerts/rules`);
		expect(await phone.page.locator('h1').textContent()).toBe('قواعد التنبيه');
		await screenshot(phone.page, 'alert-rules-analyst-390-ar');
		await phone.page.goto(`${baseUrl}/alerts`);
		await screenshot(phone.page, 'alerts-rule-analyst-390-ar');
		await analyst.context.addCookies([{ name: 'terrain_lang', value: 'ar', url: baseUrl }]);
		await p.goto(`${baseUrl}/alerts/rules`);
		await screenshot(p, 'alert-rules-analyst-desktop-ar');
	}, 300_000);
});
