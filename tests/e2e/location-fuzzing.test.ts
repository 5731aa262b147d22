// Location fuzzing in Chromium: an analyst reports an incident at our office, ticks "sensitive
// location" in the report form and records it as verified; the viewer's incident page (its text,
// its HTML and the data SvelteKit ships with it) then carries no exact coordinate and says the
// location is approximate, while the analyst's page shows the exact point.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';

const { baseUrl } = e2e();
// Mosul, to 6 decimals; the strings any rounding of them to 3+ decimals would start with.
const LAT = 36.341234;
const LON = 43.128765;
const EXACT = ['36.341', '43.128', '43.129'];

describe('a sensitive incident on the incident page', () => {
	let analyst: TestBrowser;
	let viewer: TestBrowser;
	let url = '';

	beforeAll(async () => {
		[analyst, viewer] = await Promise.all([openBrowser(), openBrowser()]);
		await signIn(analyst.page, baseUrl, 'analyst');
		await signIn(viewer.page, baseUrl, 'viewer');
	});
	afterAll(async () => {
		await Promise.all([analyst, viewer].map((b) => b?.close()));
	});

	it('lets an analyst mark a report as a sensitive location', async () => {
		const p = analyst.page;
		await p.goto(`${baseUrl}/incidents/new`);
		await p.getByTestId('date-field').fill('01/03/2024');
		await p.locator('select[name="event_type"]').selectOption('explosions_remote_violence');
		await p.locator('[data-testid="coordinates"]').fill(`${LAT}, ${LON}`);
		await p.locator('input[name="location_name"]').fill('Near our office');
		await p.locator('input[name="sensitive_location"]').check();
		await p.locator('select[name="status"]').selectOption('verified');
		await Promise.all([
			// The report goes through the outbox (sent, then opened once the server has it): on a
			// loaded CI machine that can take longer than the default 30 s.
			p.waitForURL(/\/incidents\/[0-9a-f-]{36}\?created=1/, { timeout: 90_000 }),
			p.locator('button[type="submit"]').click()
		]);
		url = p.url().replace(/\?.*$/, '');
		// the analyst sees the exact point
		const text = (await p.locator('main').textContent()) ?? '';
		expect(text).toContain(LAT.toFixed(5));
		expect(text).toContain(LON.toFixed(5));
		expect(await p.locator('[data-testid="location-fuzzed"]').count()).toBe(0);
	});

	it('shows the viewer no exact coordinate, only an approximate place', async () => {
		const p = viewer.page;
		const r = await p.goto(url);
		expect(r?.status()).toBe(200);
		await p.locator('[data-testid="location-fuzzed"]').waitFor();
		const html = await p.content();
		for (const s of EXACT) expect(html, s).not.toContain(s);
		// the server's raw answer too (SvelteKit's serialised page data included)
		const raw = await (
			await http(new URL(url).pathname, {
				cookie: await sessionCookie('viewer'),
				headers: { accept: 'text/html' }
			})
		).text();
		expect(raw).toContain('data-testid="location-fuzzed"');
		for (const s of EXACT) expect(raw, s).not.toContain(s);
		const data = await (
			await http(`${new URL(url).pathname}/__data.json`, { cookie: await sessionCookie('viewer') })
		).text();
		for (const s of EXACT) expect(data, s).not.toContain(s);
		await screenshot(p, 'incident-fuzzed-viewer');
		await p.context().addCookies([{ name: 'terrain_lang', value: 'ar', url: baseUrl }]);
		await p.goto(url);
		await expect.poll(() => p.locator('html').getAttribute('dir')).toBe('rtl');
		await p.locator('[data-testid="location-fuzzed"]').waitFor();
		for (const s of EXACT) expect(await p.content(), s).not.toContain(s);
		await screenshot(p, 'incident-fuzzed-viewer-ar');
		await p.setViewportSize({ width: 390, height: 844 });
		await screenshot(p.locator('[data-testid="location-fuzzed"]'), 'incident-fuzzed-viewer-ar-390');
	});

	it('shows the checkbox ticked on the analyst’s edit form', async () => {
		const p = analyst.page;
		await p.goto(`${url}/edit`);
		const box = p.locator('input[name="sensitive_location"]');
		expect(await box.isChecked()).toBe(true);
		await screenshot(p.locator('fieldset', { has: box }), 'incident-edit-sensitive');
		await p.setViewportSize({ width: 390, height: 844 });
		await screenshot(p.locator('fieldset', { has: box }), 'incident-edit-sensitive-390');
	});
});
