/**
 * The analysis pages' dates are typed day/month/year through DateField (issue 14/15), like a person
 * fills them: the trends page's from/to, the baseline's and proximity's as-of date. Each writes the
 * ISO date into the URL the form submits, and reads back from it. At 1366 px and 390 px, in English
 * and Arabic (Arabic-Indic digits), with screenshots in test-results/e2e/analysis-dates-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e } from './helpers/server.ts';
import { chooseLanguage, overflow } from './helpers/phone.ts';
import { latinDigits } from '../../src/lib/domain/date-input.ts';

describe('analysis dates', () => {
	let b: TestBrowser;
	const base = () => e2e().baseUrl;

	beforeAll(async () => {
		b = await openBrowser({ viewport: { width: 1366, height: 900 } });
		await signIn(b.page, base(), 'analyst');
	});
	afterAll(async () => {
		if (b) {
			await chooseLanguage(b.page, 'en').catch(() => {});
			await b.close();
		}
	});

	const field = (form: string, n: number) =>
		b.page.locator(`${form} [data-testid="date-field"]`).nth(n);

	it('the trends page takes from/to typed day first and applies them', async () => {
		await b.page.goto(`${base()}/analysis`);
		const form = '[data-testid="analysis-filters"]';
		await field(form, 0).waitFor();
		await field(form, 0).fill('01/01/2014');
		await field(form, 0).press('Tab');
		await field(form, 1).fill('31/12/2015');
		await field(form, 1).press('Tab');
		await b.page.locator(`${form} button[type="submit"]`).click();
		await expect
			.poll(() => new URL(b.page.url()).searchParams.get('from'), { timeout: 30_000 })
			.toBe('2014-01-01');
		expect(new URL(b.page.url()).searchParams.get('to')).toBe('2015-12-31');
		// Read back from the URL into the fields.
		await expect.poll(() => field(form, 0).inputValue()).toBe('01/01/2014');
		expect(await field(form, 1).inputValue()).toBe('31/12/2015');
	});

	it('the baseline takes its as-of date typed day first', async () => {
		await b.page.goto(`${base()}/analysis/baseline?level=1`);
		const form = '[data-testid="baseline-filters"]';
		await field(form, 0).waitFor();
		await field(form, 0).fill('10/07/2017');
		await field(form, 0).press('Enter');
		await expect
			.poll(() => new URL(b.page.url()).searchParams.get('as_of'), { timeout: 30_000 })
			.toBe('2017-07-10');
		await expect.poll(() => field(form, 0).inputValue()).toBe('10/07/2017');
	});

	it('proximity takes its as-of date typed day first', async () => {
		await b.page.goto(`${base()}/analysis/proximity`);
		const form = '#proximity-form';
		await field(form, 0).waitFor();
		await field(form, 0).fill('31/12/2018');
		await field(form, 0).press('Tab');
		expect(await b.page.locator(`${form} input[name="as_of"]`).inputValue()).toBe('2018-12-31');
		await b.page.locator(`${form} button[type="submit"]`).click();
		await expect
			.poll(() => new URL(b.page.url()).searchParams.get('as_of'), { timeout: 30_000 })
			.toBe('2018-12-31');
	});

	for (const lang of ['en', 'ar'] as const)
		for (const width of [1366, 390])
			it(`fits and reads day first at ${width} px in ${lang}`, async () => {
				await b.page.setViewportSize({ width, height: width > 800 ? 900 : 844 });
				await b.page.goto(`${base()}/analysis/baseline`);
				await chooseLanguage(b.page, lang);
				for (const page of [
					'analysis?from=2014-01-01&to=2015-12-31',
					'analysis/baseline',
					'analysis/proximity'
				]) {
					await b.page.goto(`${base()}/${page}`);
					await b.page.locator('[data-testid="date-field"]').first().waitFor();
					expect(await b.page.locator('form').first().innerText()).not.toContain('mm/dd/yyyy');
					// The filter form's controls fit the phone's width (the baseline's wide table
					// scrolls on its own: not what this test is about).
					if (width === 390) {
						expect((await overflow(b.page)).page).toBe(0);
						const outside = await b.page
							.locator('form :is(input:not([type="hidden"]), select, button)')
							.evaluateAll(
								(els) =>
									els
										.map((e) => e.getBoundingClientRect())
										.filter((r) => r.width > 0 && (r.left < 0 || r.right > innerWidth)).length
							);
						expect(outside).toBe(0);
					}
					await screenshot(
						b.page,
						`analysis-dates-${page.split('?')[0].replace('/', '-')}-${lang}-${width}`
					);
				}
				if (lang === 'ar') {
					await b.page.goto(`${base()}/analysis?from=2014-01-01`);
					// Arabic-Indic digits when the browser's Intl data has them; always day first.
					await expect
						.poll(async () =>
							latinDigits(await b.page.locator('[data-testid="date-field"]').first().inputValue())
						)
						.toBe('01/01/2014');
				}
			});
});
