/**
 * On a slow link the server's page is usable before its script has run. What a person types or
 * chooses in that gap must survive hydration and be what the form sends ($lib/early-input,
 * DateField's bind). The test holds the app's script back (page.route on /_app/immutable/*.js),
 * fills the form as a person would, lets the script through, and reads the form and the URL it
 * submits. Without the fix the dates and the area went back to the server's values (the sitrep
 * e2e was sent with from=<this month> in CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hydrated, openBrowser, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e } from './helpers/server.ts';

const SCRIPT = /\/_app\/immutable\/.*\.js(\?.*)?$/;

/** Opens `url` with the app's script held back; returns how to let it through. */
async function openBeforeScript(page: Page, url: string) {
	let release!: () => void;
	const gate = new Promise<void>((r) => (release = r));
	let held = 0;
	await page.route(SCRIPT, async (route) => {
		held++;
		await gate;
		await route.continue().catch(() => {});
	});
	await page.goto(url, { waitUntil: 'domcontentloaded' });
	return {
		held: () => held,
		async go() {
			release();
			await hydrated(page);
			await page.unroute(SCRIPT);
		}
	};
}

const isLive = (page: Page) =>
	page.evaluate(() => document.documentElement.dataset.hydrated ?? null);

describe('input typed before the page is live', () => {
	let b: TestBrowser;
	const base = () => e2e().baseUrl;

	beforeAll(async () => {
		b = await openBrowser({ viewport: { width: 1366, height: 900 }, serviceWorkers: 'block' });
		b.page.setDefaultTimeout(60_000);
		await signIn(b.page, base(), 'analyst');
	}, 120_000);
	afterAll(() => b?.close());

	it('the sitrep form keeps dates and an area chosen before hydration, and sends them', async () => {
		const { page } = b;
		const script = await openBeforeScript(page, `${base()}/reports`);
		const form = page.getByTestId('sitrep-form');
		await form.locator('input[name="from"]').fill('2016-10-01');
		await form.locator('input[name="to"]').fill('2016-10-31');
		await form.locator('select[name="area"]').selectOption('IQG15');
		expect(await isLive(page)).toBeNull();
		expect(script.held()).toBeGreaterThan(0);
		await script.go();

		expect(await form.locator('input[name="from"]').inputValue()).toBe('2016-10-01');
		expect(await form.locator('input[name="to"]').inputValue()).toBe('2016-10-31');
		expect(await form.locator('select[name="area"]').inputValue()).toBe('IQG15');
		await form.locator('button').click();
		await page.waitForURL(/from=2016-10-01&to=2016-10-31&area=IQG15/);
	}, 120_000);

	it('a DateField typed before hydration shows the date day first afterwards, and sends it', async () => {
		const { page } = b;
		const script = await openBeforeScript(page, `${base()}/analysis`);
		const form = page.getByTestId('analysis-filters');
		const dates = form.locator('input[type="date"]');
		await dates.nth(0).fill('2014-01-01');
		await dates.nth(1).fill('2015-12-31');
		expect(await isLive(page)).toBeNull();
		await script.go();

		const fields = form.getByTestId('date-field');
		await expect.poll(() => fields.nth(0).inputValue()).toBe('01/01/2014');
		expect(await fields.nth(1).inputValue()).toBe('31/12/2015');
		await form.locator('button[type="submit"]').click();
		await page.waitForURL(/from=2014-01-01&to=2015-12-31/);
	}, 120_000);
});

describe('a <details> opened before the page is live', () => {
	let b: TestBrowser;
	const base = () => e2e().baseUrl;

	beforeAll(async () => {
		b = await openBrowser({ viewport: { width: 1366, height: 900 }, serviceWorkers: 'block' });
		b.page.setDefaultTimeout(60_000);
		await signIn(b.page, base(), 'admin');
	}, 120_000);
	afterAll(() => b?.close());

	it("stays open when the page hydrates (a field user's areas on the users page)", async () => {
		const { page } = b;
		const script = await openBeforeScript(page, `${base()}/admin/users`);
		const cell = page.locator('[data-testid="areas-field@e2e.terrain.test"]');
		await cell.locator('summary').click();
		expect(await isLive(page)).toBeNull();
		expect(await cell.locator('details').evaluate((d: HTMLDetailsElement) => d.open)).toBe(true);
		await script.go();
		// Hydration used to close it again (its `open` follows the form's answer, null here).
		expect(await cell.locator('details').evaluate((d: HTMLDetailsElement) => d.open)).toBe(true);
		await expect.poll(() => cell.locator('input[list]').isVisible()).toBe(true);
	}, 120_000);
});
