// The map as a working surface (issue 13), in Chromium against the real server and the demo data,
// as an analyst uses it: draw a circle on the map and see the count and the list follow (equal to
// what the API counts for the same circle), reload the link and get the same; tick the NGO lens
// and see it in the URL and the count; click a point where many incidents are stacked, page
// through all of them and open the 3rd one's record. Screenshots at 1366 and 390 px, English and
// Arabic, in /work/shots/mapf when that folder exists (test-results/e2e otherwise).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';

const { baseUrl } = e2e();
const BAGHDAD: [number, number] = [44.366, 33.315];
const SHOTS = existsSync('/work/shots') ? '/work/shots/mapf' : null;
let b: TestBrowser;
let cookie: string;

beforeAll(async () => {
	b = await openBrowser({ viewport: { width: 1366, height: 900 } });
	await signIn(b.page, baseUrl, 'analyst');
	cookie = await sessionCookie('analyst');
});
afterAll(async () => {
	await b?.close();
});

async function shot(name: string) {
	if (!SHOTS) return;
	mkdirSync(SHOTS, { recursive: true });
	await b.page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

const countEl = () => b.page.locator('[data-testid="incident-count"]');
const param = (name: string) => new URL(b.page.url()).searchParams.get(name);

async function settled(page: Page = b.page) {
	await page.locator('[data-testid="map"][data-loading="false"]').waitFor({ timeout: 120_000 });
}
async function shownCount() {
	await settled();
	await expect.poll(() => countEl().getAttribute('data-stale'), { timeout: 60_000 }).toBe('false');
	return Number(await countEl().getAttribute('data-count'));
}
async function api<T>(path: string): Promise<T> {
	const r = await http(path, { cookie });
	expect(r.status, path).toBe(200);
	return (await r.json()) as T;
}
/** The middle of the map's canvas, where the URL's centre is drawn. */
async function canvasCentre() {
	const r = (await b.page.locator('.maplibregl-canvas').boundingBox())!;
	return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
}

describe('drawing a place filter on the map', () => {
	let drawnUrl = '';
	let inCircle = 0;

	it('a circle drawn around Baghdad filters the count and the list to what the API counts', async () => {
		await b.page.goto(`${baseUrl}/map?layers=incidents&z=9&c=${BAGHDAD.join(',')}`);
		const before = await shownCount();
		expect(before).toBeGreaterThan(100);

		await b.page.locator('[data-testid="place-filter"] [data-tool="circle"]').click();
		await b.page.locator('[data-testid="place-km"]').fill('10');
		const c = await canvasCentre();
		await b.page.mouse.click(c.x, c.y);
		// The circle is in the URL as lat/lon/within_km; the chip says it in words.
		await expect.poll(() => param('within_km'), { timeout: 20_000 }).toBe('10');
		expect(Number(param('lat'))).toBeCloseTo(BAGHDAD[1], 2);
		expect(Number(param('lon'))).toBeCloseTo(BAGHDAD[0], 2);
		await expect
			.poll(() => b.page.locator('[data-testid="place-chip"]').textContent())
			.toMatch(/Within 10 km/);

		// The whole circle is in view: the count equals the API's count of the circle.
		const q = `lat=${param('lat')}&lon=${param('lon')}&within_km=10`;
		const counts = await api<{ total: number }>(`/api/v1/incidents/counts?${q}`);
		await expect.poll(shownCount, { timeout: 60_000 }).toBe(counts.total);
		inCircle = counts.total;
		expect(inCircle).toBeGreaterThan(0);
		expect(inCircle).toBeLessThan(before);

		// The list follows: open it, same total, rows newest first, each linking to its record.
		await b.page.locator('[data-testid="map-list"] summary').click();
		const list = b.page.locator('[data-testid="map-list-page"]');
		await expect
			.poll(() => list.getAttribute('data-total'), { timeout: 30_000 })
			.toBe(String(inCircle));
		const first = list.locator('[data-testid="incident-link"]').first();
		expect(await first.getAttribute('href')).toMatch(/^\/incidents\/[0-9a-f-]{36}$/);
		await shot('circle-en-1366');
		drawnUrl = b.page.url();
	});

	it('the link reproduces the same filtered map after a reload', async () => {
		await b.page.goto(drawnUrl);
		expect(await shownCount()).toBe(inCircle);
		expect(await b.page.locator('[data-testid="place-chip"]').textContent()).toMatch(
			/Within 10 km/
		);
	});

	it('the NGO lens goes into the URL and the count follows', async () => {
		await b.page.locator('[data-testid="more-filters"] [data-lens="serious"]').check();
		await expect.poll(() => param('lens')).toBe('serious');
		const q = `lat=${param('lat')}&lon=${param('lon')}&within_km=10&lens=serious`;
		const counts = await api<{ total: number }>(`/api/v1/incidents/counts?${q}`);
		await expect.poll(shownCount, { timeout: 60_000 }).toBe(counts.total);
		expect(counts.total).toBeLessThanOrEqual(inCircle);
		// Points coloured by seriousness, with a legend saying so; the choice is in the URL.
		await b.page.locator('[data-testid="point-style"] select').selectOption('serious');
		await expect.poll(() => param('style')).toBe('serious');
		expect(await b.page.locator('[data-testid="point-style"] .legend li').count()).toBe(2);
		// Clearing removes the place and the lens together.
		await b.page.locator('[data-testid="mapf-clear"]').click();
		await expect.poll(() => param('lens')).toBeNull();
		expect(param('within_km')).toBeNull();
	});

	it('a corridor drawn as a line is stored and linked by id', async () => {
		await b.page.goto(`${baseUrl}/map?layers=incidents&z=9&c=${BAGHDAD.join(',')}`);
		await settled();
		await b.page.locator('[data-testid="place-filter"] [data-tool="corridor"]').click();
		await b.page.locator('[data-testid="place-km"]').fill('3');
		const c = await canvasCentre();
		await b.page.mouse.click(c.x - 120, c.y + 40);
		await b.page.waitForTimeout(200);
		await b.page.mouse.dblclick(c.x + 120, c.y - 40);
		await expect.poll(() => param('geometry_id'), { timeout: 20_000 }).toMatch(/^[0-9a-f-]{36}$/);
		expect(param('within_km')).toBe('3');
		const counts = await api<{ total: number }>(
			`/api/v1/incidents/counts?geometry_id=${param('geometry_id')}&within_km=3`
		);
		await expect.poll(shownCount, { timeout: 60_000 }).toBe(counts.total);
		await shot('corridor-en-1366');
	});
});

describe('incidents stacked at one point', () => {
	it('clicking a stacked point lists them all, paged, and opens the 3rd one’s record', async () => {
		// The point where most demo incidents sit (a city placed at its centre).
		const view = await api<{ points: [string, number, number, string, number][] }>(
			'/api/v1/map/incidents?bbox=38,29,49,38&limit=20000'
		);
		const at = new Map<string, number>();
		for (const p of view.points) at.set(`${p[1]},${p[2]}`, (at.get(`${p[1]},${p[2]}`) ?? 0) + 1);
		const [key, n] = [...at.entries()].sort((x, y) => y[1] - x[1])[0];
		expect(n).toBeGreaterThan(10);
		const [lon, lat] = key.split(',').map(Number);

		await b.page.goto(`${baseUrl}/map?layers=incidents&z=13&c=${lon},${lat}`);
		await settled();
		const c = await canvasCentre();
		await b.page.mouse.click(c.x, c.y);
		const stack = b.page.locator('[data-testid="stacked-incidents"]');
		await stack.waitFor({ timeout: 30_000 });
		const page = stack.locator('[data-testid="stack-list"]');
		const total = Number(await page.getAttribute('data-total'));
		const listed = await api<{ total: number }>(
			`/api/v1/incidents/report?lat=${lat}&lon=${lon}&within_km=0.001&size=1`
		);
		expect(total).toBe(listed.total);
		expect(total).toBeGreaterThanOrEqual(n);
		expect(await stack.locator('h4').textContent()).toMatch(
			new RegExp(`${total.toLocaleString('en')} incidents`)
		);

		// Page through: page 2 shows other incidents than page 1.
		const ids = async () =>
			page.locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
		const first = await ids();
		expect(first).toHaveLength(10);
		await page.locator('[data-testid="page-next"]').click();
		await expect.poll(() => page.getAttribute('data-page')).toBe('2');
		await expect.poll(async () => (await ids())[0]).not.toBe(first[0]);
		const second = await ids();
		expect(second.some((id) => first.includes(id))).toBe(false);
		await shot('stack-en-1366');

		// The 3rd incident of this page opens its record.
		const third = page.locator('[data-testid="incident-link"]').nth(2);
		const href = (await third.getAttribute('href'))!;
		expect(href).toBe(`/incidents/${second[2]}`);
		await third.click();
		await b.page.waitForURL(`**${href}`);
		expect(b.page.url()).toContain(second[2]!);
	});
});

describe('the filter panel on a phone and in Arabic', () => {
	it('is usable at 390 px and in Arabic', async () => {
		await b.context.addCookies([{ name: 'terrain_lang', value: 'ar', url: baseUrl }]);
		await b.page.goto(
			`${baseUrl}/map?layers=incidents&z=9&c=${BAGHDAD.join(',')}&within_km=10&lat=${BAGHDAD[1]}&lon=${BAGHDAD[0]}&lens=us,serious`
		);
		await settled();
		expect(await b.page.locator('html').getAttribute('dir')).toBe('rtl');
		await b.page.locator('[data-testid="place-filter"]').scrollIntoViewIfNeeded();
		await shot('filters-ar-1366');
		await b.page.setViewportSize({ width: 390, height: 844 });
		await b.page.locator('.panel-open-button').click();
		await b.page.locator('[data-testid="place-filter"]').scrollIntoViewIfNeeded();
		await shot('filters-ar-390');
		await b.context.addCookies([{ name: 'terrain_lang', value: 'en', url: baseUrl }]);
		await b.page.reload();
		await settled();
		await b.page.locator('.panel-open-button').click();
		await b.page.locator('[data-testid="place-filter"]').scrollIntoViewIfNeeded();
		await shot('filters-en-390');
		await b.page.setViewportSize({ width: 1366, height: 900 });
	});
});
