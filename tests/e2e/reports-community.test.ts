/**
 * An area's community profile as an analyst fills it: top to bottom on the area page (English,
 * 1366 px), read back through the API field by field with its history, then shown to a viewer on
 * a phone in Arabic (no form for them). The area (Ain Al-Tamur, Kerbala) is one no other e2e file
 * looks at; the profile stays (a profile has no delete: it is history).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { e2e, http, sessionCookie } from './helpers/server';
import { openBrowser, signIn } from './helpers/browser';
import { overflow, shot } from './helpers/documents';

const { baseUrl } = e2e();
const AREA = 'IQG12Q01';
const tag = randomBytes(3).toString('hex');

describe('community profile', () => {
	it('an analyst fills the form top to bottom; the API reads every field back', async () => {
		const analyst = await sessionCookie('analyst');
		const before = await (
			await http(`/api/v1/areas/${AREA}/community`, { cookie: analyst })
		).json();
		const b = await openBrowser({ viewport: { width: 1366, height: 900 } });
		try {
			const { page } = b;
			page.setDefaultTimeout(90_000);
			await signIn(page, baseUrl, 'analyst');
			await page.goto(`${baseUrl}/areas/${AREA}`);
			const card = page.getByTestId('community');
			if (before.profile) await card.locator('summary').click();
			const f = page.getByTestId('community-form');
			await f.locator('input[name="population"]').fill('48250');
			await f.locator('input[name="population_source"]').fill(`Health directorate ${tag}`);
			const date = f.locator('.datefield input[type="text"]');
			await date.fill('15/08/2016');
			await date.press('Tab');
			await f.locator('input[name="idps"]').fill('3100');
			await f.locator('input[name="returnees"]').fill('820');
			await f.locator('textarea[name="composition"]').fill('Arab tribes, a Shia majority');
			await f.locator('textarea[name="marginalised_groups"]').fill('Desert herders');
			await f
				.locator('textarea[name="acceptance_issues"]')
				.fill(`Seen as close to one party ${tag}`);
			await f.locator('input[name="languages"]').fill('ar, ckb');
			await f.locator('textarea[name="notes"]').fill('Water is **scarce** in summer.');
			await shot(page, 'community-form-1366-en');
			await f.locator('button').click();
			await expect
				.poll(() => card.getByRole('status').textContent())
				.toBe('Community profile saved.');
			await expect.poll(() => card.locator('strong').first().textContent()).toBe('scarce');
			await shot(page, 'community-1366-en');
			expect(b.requests.errors).toEqual([]);
		} finally {
			await b.close();
		}

		const after = await (await http(`/api/v1/areas/${AREA}/community`, { cookie: analyst })).json();
		expect(after.profile).toMatchObject({
			population: 48250,
			population_source: `Health directorate ${tag}`,
			population_date: '2016-08-15',
			idps: 3100,
			returnees: 820,
			composition: 'Arab tribes, a Shia majority',
			marginalised_groups: 'Desert herders',
			acceptance_issues: `Seen as close to one party ${tag}`,
			languages: ['ar', 'ckb'],
			notes: 'Water is **scarce** in summer.'
		});
		expect(after.history.length).toBe((before.history?.length ?? 0) + 1);
	}, 300_000);

	it('a viewer reads it on a phone in Arabic, without the form', async () => {
		const b = await openBrowser({ viewport: { width: 390, height: 844 }, locale: 'ar' });
		try {
			const { page } = b;
			page.setDefaultTimeout(90_000);
			await signIn(page, baseUrl, 'viewer');
			await page.goto(`${baseUrl}/areas/${AREA}`);
			const card = page.getByTestId('community');
			await expect.poll(() => card.textContent()).toContain(`Seen as close to one party ${tag}`);
			await expect(page.getByTestId('community-form').count()).resolves.toBe(0);
			await card.scrollIntoViewIfNeeded();
			expect(await overflow(page)).toBeLessThanOrEqual(1);
			await shot(page, 'community-390-ar');
		} finally {
			await b.close();
		}
	}, 300_000);
});
