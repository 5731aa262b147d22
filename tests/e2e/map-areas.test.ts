// Several admin areas as the map's filter (issue 13 item 2: "… or picks admin areas"), in
// Chromium against the real server and the demo data, as an analyst does it: on the map, under
// Admin areas, type part of a name and pick the governorate of Duhok, then Al-Basrah; both show
// as chips and go into the URL as area=IQG09,IQG02; the map's count (the whole country in view)
// equals GET /api/v1/incidents/counts for the same area=; a reload keeps both; a chip removes its
// area. Screenshots at 1280 and 390 px, English and Arabic, in test-results/e2e.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseLanguage } from './helpers/phone.ts';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';

const { baseUrl } = e2e();
// The whole of Iraq in view at 1280 px: the count in view is every incident of the filter.
const IRAQ_VIEW = 'z=5.6&c=43.7,33.2';
let b: TestBrowser;
let cookie: string;

beforeAll(async () => {
	b = await openBrowser({ viewport: { width: 1280, height: 860 } });
	await signIn(b.page, baseUrl, 'analyst');
	cookie = await sessionCookie('analyst');
});
afterAll(async () => {
	await b?.close();
});

const countEl = () => b.page.locator('[data-testid="incident-count"]');
const picker = () => b.page.locator('[data-testid="mapf-area"]');
const chips = () => picker().locator('[data-testid="mapf-area-chips"] li');
const param = (name: string) => new URL(b.page.url()).searchParams.get(name);

async function settled() {
	await b.page.locator('[data-testid="map"][data-loading="false"]').waitFor({ timeout: 120_000 });
}
async function shownCount() {
	await settled();
	await expect.poll(() => countEl().getAttribute('data-stale'), { timeout: 60_000 }).toBe('false');
	return Number(await countEl().getAttribute('data-count'));
}
async function apiTotal(q: string): Promise<number> {
	const r = await http(`/api/v1/incidents/counts?${q}`, { cookie });
	expect(r.status, q).toBe(200);
	return Number(((await r.json()) as { total: number }).total);
}
/** Types part of a name and picks the match of that level, as a person reads the list. */
async function pick(text: string, name: string, level: string) {
	const input = picker().locator('input[type="search"]');
	await input.fill(text);
	const hit = picker()
		.locator('ul.hits button')
		.filter({ hasText: name })
		.filter({ hasText: level })
		.first();
	await hit.click();
	await expect.poll(() => input.inputValue()).toBe('');
}

describe('picking several admin areas on the map', () => {
	let both = 0;
	let url = '';

	it('two governorates picked by name: chips, URL, and the count the API gives', async () => {
		await b.page.goto(`${baseUrl}/map?layers=incidents&${IRAQ_VIEW}`);
		const all = await shownCount();
		await pick('Duh', 'Duhok', 'Governorate');
		await expect.poll(() => param('area'), { timeout: 20_000 }).toBe('IQG09');
		await pick('basr', 'Al-Basrah', 'Governorate');
		await expect.poll(() => param('area'), { timeout: 20_000 }).toBe('IQG09,IQG02');
		await expect
			.poll(() => chips().allTextContents())
			.toEqual([expect.stringContaining('Duhok'), expect.stringContaining('Al-Basrah')]);

		const duhok = await apiTotal('area=IQG09');
		const basrah = await apiTotal('area=IQG02');
		both = await apiTotal('area=IQG09,IQG02');
		expect(duhok).toBeGreaterThan(0);
		expect(basrah).toBeGreaterThan(0);
		expect(both).toBe(duhok + basrah);
		await expect.poll(shownCount, { timeout: 60_000 }).toBe(both);
		expect(both).toBeLessThan(all);
		// The side panel's area chip names both.
		await expect
			.poll(() => b.page.locator('.filters .chip').textContent())
			.toMatch(/Duhok.*Al-Basrah/);
		await screenshot(b.page, 'map-areas-1280-en');
		url = b.page.url();
	});

	it('a reload keeps both areas, their chips and the count', async () => {
		await b.page.goto(url);
		expect(param('area')).toBe('IQG09,IQG02');
		await expect.poll(shownCount, { timeout: 60_000 }).toBe(both);
		await expect.poll(() => chips().count(), { timeout: 20_000 }).toBe(2);
		expect(await chips().first().textContent()).toContain('Duhok');
	});

	it('in Arabic and on a phone, the chips read in Arabic', async () => {
		await chooseLanguage(b.page, 'ar');
		await b.page.goto(url);
		await expect.poll(shownCount, { timeout: 60_000 }).toBe(both);
		await expect.poll(() => chips().first().textContent(), { timeout: 20_000 }).toContain('دهوك');
		// The side panel's chip lists them with the Arabic comma.
		await expect
			.poll(() => b.page.locator('.filters .chip').textContent(), { timeout: 20_000 })
			.toMatch(/دهوك، البصرة/);
		await screenshot(b.page, 'map-areas-1280-ar');
		await b.page.setViewportSize({ width: 390, height: 844 });
		await b.page.goto(url);
		await settled();
		await screenshot(b.page, 'map-areas-390-ar-map');
		await b.page.locator('.panel-open-button').click();
		await picker().scrollIntoViewIfNeeded();
		await screenshot(b.page, 'map-areas-390-ar');
		await chooseLanguage(b.page, 'en');
		await b.page.goto(url);
		await settled();
		await b.page.locator('.panel-open-button').click();
		await picker().scrollIntoViewIfNeeded();
		await screenshot(b.page, 'map-areas-390-en');
		await b.page.setViewportSize({ width: 1280, height: 860 });
	});

	it('a chip removes its own area', async () => {
		await b.page.goto(url);
		await expect.poll(() => chips().count(), { timeout: 20_000 }).toBe(2);
		await chips().first().locator('button').click();
		await expect.poll(() => param('area')).toBe('IQG02');
		await expect.poll(shownCount, { timeout: 60_000 }).toBe(await apiTotal('area=IQG02'));
	});

	it('a sub-district in the filter is named in the side panel, not shown as its code', async () => {
		// Al-Ayadiya, a sub-district of Telafar: no outline of its level is loaded on the map.
		await b.page.goto(`${baseUrl}/map?layers=incidents&${IRAQ_VIEW}&area=IQG15Q08N02`);
		const chip = b.page.locator('.filters .chip');
		await expect.poll(() => chip.textContent(), { timeout: 30_000 }).toContain('Al-Ayadiya');
		expect(await chip.textContent()).not.toContain('IQG15Q08N02');
	});
});
