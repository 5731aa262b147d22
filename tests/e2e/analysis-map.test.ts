// The analysis screen's map in Chromium against the real server and the UCDP demo data: pointing
// at a bar of a chart picks out its incidents on the map — as many as the bar counts and as the
// API counts for the same filters, drawn in the highlight colour — and leaving lets them go;
// brushing the time chart moves the map's incidents with the dates. Screenshots in English and
// Arabic, wide and narrow, with a highlight showing (test-results/e2e/analysis-map-*.png).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import {
	openBrowser,
	screenshot,
	signIn,
	waitForPixels,
	type Pixels,
	type TestBrowser
} from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';
import { HIGHLIGHT_COLOUR } from '../../src/lib/map/layers/highlight-style.ts';
import { binEnd } from '../../src/lib/domain/analysis.ts';

const { baseUrl } = e2e();
let b: TestBrowser;
let cookie: string;

beforeAll(async () => {
	b = await openBrowser({ viewport: { width: 1400, height: 900 } });
	await signIn(b.page, baseUrl, 'analyst');
	cookie = await sessionCookie('analyst');
});
afterAll(async () => {
	await b?.close();
});

const near = (p: readonly number[], c: readonly number[], tol = 30) =>
	Math.abs(p[0] - c[0]) <= tol && Math.abs(p[1] - c[1]) <= tol && Math.abs(p[2] - c[2]) <= tol;
const highlightPixels = (img: Pixels) => img.count((p) => near(p, HIGHLIGHT_COLOUR));
const canvas = () => b.page.locator('[data-testid="analysis-map"] .maplibregl-canvas');
const figure = () => b.page.locator('[data-testid="highlight-count"]');
const param = (name: string) => new URL(b.page.url()).searchParams.get(name);

async function mapSettled() {
	await b.page
		.locator('[data-testid="analysis-map"] [data-testid="map"][data-loading="false"]')
		.waitFor({ timeout: 120_000 });
}

/** The incidents count the list API gives for these filters. */
async function apiCount(q: Record<string, string>): Promise<number> {
	const r = await http(`/api/v1/incidents?${new URLSearchParams({ ...q, limit: '1' })}`, {
		cookie
	});
	expect(r.status).toBe(200);
	return ((await r.json()) as { total: number }).total;
}

/** Waits for the highlight figure to be ready and returns it. */
async function highlighted(): Promise<number> {
	await expect.poll(() => figure().getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
	return Number(await figure().getAttribute('data-count'));
}

async function pointAt(el: Locator, fy = 0.5) {
	// Low in the window (on narrow screens the map sits over the top of it), and the map wholly in
	// view: screenshots of it would otherwise scroll the page under the pointer.
	await el.evaluate((e) => e.scrollIntoView({ block: 'end' }));
	await canvas().scrollIntoViewIfNeeded();
	const box = (await el.boundingBox())!;
	await b.page.mouse.move(box.x + box.width / 2, box.y + box.height * fy, { steps: 3 });
}

async function leave() {
	await b.page.mouse.move(5, 5, { steps: 3 });
	await expect.poll(() => figure().getAttribute('data-state')).toBe('off');
	await waitForPixels(canvas(), (i) => highlightPixels(i) < 5, { name: 'analysis-map-cleared' });
}

describe('the analysis map', () => {
	it('picks out the incidents of a hovered month: as many as the bar and the API count, drawn in the highlight colour', async () => {
		await b.page.goto(`${baseUrl}/analysis?from=2014-01-01&to=2015-12-31&by=month&group=none`);
		await mapSettled();
		expect(await figure().getAttribute('data-state')).toBe('off');
		const before = await waitForPixels(canvas(), () => true);
		expect(highlightPixels(before)).toBeLessThan(5);

		// the month with the most incidents
		const bars = b.page.locator('[data-testid="time-chart"] rect[data-bin]');
		const values = await bars.evaluateAll((rs) =>
			rs.map((r) => [r.getAttribute('data-bin')!, Number(r.getAttribute('data-value'))] as const)
		);
		expect(values.length).toBe(24);
		const [bin, value] = values.reduce((a, v) => (v[1] > a[1] ? v : a));
		expect(value).toBeGreaterThan(0);
		await pointAt(b.page.locator(`[data-testid="time-chart"] rect[data-bin="${bin}"]`));
		const shown = await highlighted();
		expect(shown).toBe(value);
		expect(shown).toBe(await apiCount({ from: bin, to: binEnd(bin, 'month') }));
		await expect
			.poll(() => figure().innerText())
			.toContain(`${shown.toLocaleString('en')} incidents highlighted`);
		await waitForPixels(canvas(), (i) => highlightPixels(i) > 40, { name: 'analysis-map-month' });
		await screenshot(b.page, 'analysis-map-month');

		await leave();
	});

	it('picks out one stacked segment (an event type within a month)', async () => {
		await b.page.goto(`${baseUrl}/analysis?from=2014-01-01&to=2015-12-31&by=month&group=type`);
		await mapSettled();
		const seg = b.page.locator('[data-testid="time-chart"] rect[data-bin][data-key="battles"]');
		const values = await seg.evaluateAll((rs) =>
			rs.map((r) => [r.getAttribute('data-bin')!, Number(r.getAttribute('data-value'))] as const)
		);
		const [bin, value] = values.reduce((a, v) => (v[1] > a[1] ? v : a));
		await pointAt(
			b.page.locator(`[data-testid="time-chart"] rect[data-bin="${bin}"][data-key="battles"]`)
		);
		const shown = await highlighted();
		expect(shown).toBe(value);
		expect(shown).toBe(await apiCount({ from: bin, to: binEnd(bin, 'month'), type: 'battles' }));
		await waitForPixels(canvas(), (i) => highlightPixels(i) > 20, { name: 'analysis-map-segment' });
		await leave();

		// the keyboard: End goes to the last bin (as a whole), ← to the one before, Escape lets go
		const binTotal = async (bin: string) =>
			(
				await b.page
					.locator(`[data-testid="time-chart"] rect[data-bin="${bin}"]`)
					.evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-value'))))
			).reduce((a, v) => a + v, 0);
		await b.page.locator('[data-testid="time-chart-brush"]').focus();
		await b.page.keyboard.press('End');
		expect(await highlighted()).toBe(await binTotal('2015-12-01'));
		await b.page.keyboard.press('ArrowLeft');
		await expect.poll(() => figure().innerText()).toContain('Nov 2015');
		expect(await highlighted()).toBe(await binTotal('2015-11-01'));
		expect(await highlighted()).toBe(await apiCount({ from: '2015-11-01', to: '2015-11-30' }));
		await b.page.keyboard.press('Escape');
		await expect.poll(() => figure().getAttribute('data-state')).toBe('off');
	});

	it('picks out a governorate from its bar, with its count and outline, and lets go on leaving', async () => {
		await b.page.goto(`${baseUrl}/analysis?from=2014-01-01&to=2015-12-31`);
		await mapSettled();
		const bar = b.page.locator('[data-testid="area-bars"] g[data-key="IQG15"]');
		const value = Number(await bar.getAttribute('data-value'));
		expect(value).toBeGreaterThan(0);
		await pointAt(bar.locator('rect').last());
		const shown = await highlighted();
		expect(shown).toBe(value);
		expect(shown).toBe(await apiCount({ from: '2014-01-01', to: '2015-12-31', area: 'IQG15' }));
		// the points and the governorate's outline
		await waitForPixels(canvas(), (i) => highlightPixels(i) > 200, {
			name: 'analysis-map-governorate'
		});
		await screenshot(b.page, 'analysis-map-governorate');
		await leave();
	});

	it('picks out a day of the week as its column counts it', async () => {
		const col = b.page.locator('[data-testid="dow-columns"] rect[data-index="4"]');
		const value = Number(await col.getAttribute('data-value'));
		expect(value).toBeGreaterThan(0);
		await pointAt(col);
		expect(await highlighted()).toBe(value);
		await leave();
	});

	it("brushing still sets from/to, and the map's incidents follow the dates", async () => {
		await b.page.goto(`${baseUrl}/analysis?from=2014-01-01&to=2015-12-31&by=month`);
		await mapSettled();
		const count = b.page.locator('[data-testid="analysis-map-count"]');
		const all = Number(await count.getAttribute('data-count'));
		expect(all).toBe(await apiCount({ from: '2014-01-01', to: '2015-12-31' }));

		const box = (await b.page.locator('[data-testid="time-chart-brush"]').boundingBox())!;
		const y = box.y + box.height / 2;
		await b.page.mouse.move(box.x + box.width * 0.3, y);
		await b.page.mouse.down();
		await b.page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
		await b.page.mouse.up();
		await expect.poll(() => param('from')).not.toBe('2014-01-01');
		const from = param('from')!;
		const to = param('to')!;
		expect(from).toMatch(/^201[45]-\d\d-01$/);
		await expect
			.poll(async () => Number(await count.getAttribute('data-count')), { timeout: 60_000 })
			.not.toBe(all);
		await mapSettled();
		const shown = Number(await count.getAttribute('data-count'));
		expect(shown).toBeGreaterThan(0);
		expect(shown).toBe(await apiCount({ from, to }));
		// and exactly what the map API counts for the map's own view
		const bbox = (await count.getAttribute('data-bbox'))!;
		const r = await http(
			`/api/v1/map/incidents?${new URLSearchParams({ from, to, bbox, limit: '1' })}`,
			{ cookie }
		);
		expect(shown).toBe(((await r.json()) as { total: number }).total);
		// the link to the main map carries the filters
		const href = (await b.page.locator('[data-testid="open-map"]').getAttribute('href'))!;
		expect(Object.fromEntries(new URL(href, baseUrl).searchParams)).toEqual({ from, to });
	});

	it('is looked at in English and Arabic, wide and narrow, with a highlight showing', async () => {
		for (const lang of ['en', 'ar'] as const) {
			await b.context.addCookies([{ name: 'terrain_lang', value: lang, url: baseUrl }]);
			for (const [w, h] of [
				[1400, 900],
				[720, 1000]
			] as const) {
				await b.page.setViewportSize({ width: w, height: h });
				await b.page.goto(`${baseUrl}/analysis?from=2016-01-01&to=2017-12-31&by=month`);
				await mapSettled();
				expect(await b.page.locator('html').getAttribute('dir')).toBe(
					lang === 'ar' ? 'rtl' : 'ltr'
				);
				const bar = b.page.locator('[data-testid="area-bars"] g[data-key="IQG15"] rect').last();
				await pointAt(bar);
				await highlighted();
				await waitForPixels(canvas(), (i) => highlightPixels(i) > 100, {
					name: `analysis-map-${lang}-${w}`
				});
				await screenshot(b.page, `analysis-map-${lang}-${w}`);
				await leave();
			}
		}
		await b.context.addCookies([{ name: 'terrain_lang', value: 'en', url: baseUrl }]);
		await b.page.setViewportSize({ width: 1400, height: 900 });
	});

	it('made no request that left this machine', () => {
		expect(b.requests.foreign()).toEqual([]);
	});
});
