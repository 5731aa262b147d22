/**
 * The records screens (issue 9) on a phone, 390 × 844, in English and Arabic: the incident report
 * and edit forms, the incident list, the Import page (after a dry run, with its mapping table)
 * and the registries. Nothing may run off the side; every screen is saved as a screenshot
 * (test-results/e2e/records-phone-*.png) to be looked at. The report form and the edit form are
 * also saved at 1366 px. All screens are taken before the overflow is checked, so one failure
 * still leaves every picture.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { chooseLanguage, overflow, type Overflow } from './helpers/phone.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';
import { translator } from '../../src/lib/i18n/index.ts';

const { baseUrl } = e2e();
const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'import', 'partner_tracker.csv');

/** True when an element under <main> leaves the screen sideways outside any sideways scroller. */
const loose = (p: Page) =>
	p.evaluate(() => {
		const scrolls = (el: Element | null): boolean => {
			for (let e = el?.parentElement; e && e.tagName !== 'MAIN'; e = e.parentElement) {
				const x = getComputedStyle(e).overflowX;
				if ((x === 'auto' || x === 'scroll') && e.scrollWidth > e.clientWidth) return true;
			}
			return false;
		};
		for (const el of document.querySelectorAll('main *')) {
			const r = el.getBoundingClientRect();
			if (r.width === 0 || r.height === 0) continue;
			if ((r.left < -1 || r.right > innerWidth + 1) && !scrolls(el)) return true;
		}
		return false;
	});

describe('records screens on a phone', () => {
	let b: TestBrowser;
	let id = '';

	beforeAll(async () => {
		const created = await http('/api/v1/incidents/report', {
			method: 'POST',
			cookie: await sessionCookie('analyst'),
			body: {
				event_date: '2024-06-01',
				event_type: 'explosions_remote_violence',
				sub_event_type: 'Remote explosive/landmine/IED',
				coordinates: '36.34, 43.13',
				location_name: 'Mosul, old city, near the Nabi Yunus mosque and the eastern bridge',
				source: 'Partner NGO field team, by phone, confirmed by two local sources',
				fatalities: 2,
				notes:
					'Roadside device on the main road; see https://example.org/a-very-long-address-without-any-break-in-it-2024-06-01'
			}
		});
		expect(created.status).toBe(201);
		id = (await created.json()).incident.id;
		b = await openBrowser({ viewport: { width: 390, height: 844 } });
		await signIn(b.page, baseUrl, 'analyst');
	});
	afterAll(async () => {
		if (b) {
			await chooseLanguage(b.page, 'en').catch(() => {});
			await b.close();
		}
	});

	it('fits 390 px in English and Arabic on every records screen', async () => {
		const p = b.page;
		const found: Record<string, Overflow> = {};
		const look = async (name: string) => {
			await p.waitForLoadState('load');
			const o = await overflow(p);
			// A wide table that scrolls sideways inside its own box is the phone layout of a table;
			// only what sticks out of the screen without such a box counts.
			if (o.offscreen.length && !(await loose(p))) o.offscreen = [];
			found[name] = o;
			await screenshot(p, `records-phone-${name}`);
		};
		for (const lang of ['en', 'ar'] as const) {
			await p.setViewportSize({ width: 390, height: 844 });
			await p.goto(`${baseUrl}/incidents`);
			await chooseLanguage(p, lang);

			await p.goto(`${baseUrl}/incidents/new`);
			await p.locator('select[name="event_type"]').selectOption('explosions_remote_violence');
			await p.getByTestId('date-field').fill(lang === 'ar' ? '٠١/٠٦/٢٠٢٤' : '01/06/2024');
			await look(`${lang}-report`);
			// Sent empty of a place: the errors show beside the fields.
			await p.locator('button[type="submit"]').click();
			await p.locator('.error:not(:empty)').first().waitFor();
			await look(`${lang}-report-errors`);

			await p.goto(`${baseUrl}/incidents/${id}/edit`);
			await p.locator('select[name="event_type"]').waitFor();
			expect(await p.locator('input[name="event_date"]').inputValue()).toBe('2024-06-01');
			await look(`${lang}-edit`);

			await p.goto(`${baseUrl}/incidents`);
			await p.getByTestId('incident-total').waitFor();
			await look(`${lang}-list`);

			await p.goto(`${baseUrl}/import`);
			await look(`${lang}-import`);
			await p.getByTestId('import-file').setInputFiles(FIXTURE);
			await p.getByRole('button', { name: translator(lang)('import.check') }).click();
			await p.getByTestId('import-result').waitFor({ timeout: 60_000 });
			await look(`${lang}-import-dry-run`);

			await p.goto(`${baseUrl}/registries`);
			await look(`${lang}-registries`);
			await p.goto(`${baseUrl}/registries/checkpoints`);
			await look(`${lang}-checkpoints`);

			await p.setViewportSize({ width: 1366, height: 900 });
			await p.goto(`${baseUrl}/incidents/new`);
			await screenshot(p, `records-desktop-${lang}-report`);
			await p.goto(`${baseUrl}/incidents/${id}/edit`);
			await screenshot(p, `records-desktop-${lang}-edit`);
		}
		const bad = Object.fromEntries(
			Object.entries(found).filter(([, o]) => o.page || o.main || o.offscreen.length)
		);
		expect(bad).toEqual({});
	});
});
