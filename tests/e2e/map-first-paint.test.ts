// First paint of the map: the incidents are asked for while the basemap loads (not after
// maplibre's `load` event), and only once for the first view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e } from './helpers/server.ts';

const { baseUrl } = e2e();
let b: TestBrowser;

beforeAll(async () => {
	b = await openBrowser({ viewport: { width: 1280, height: 800 } });
	await signIn(b.page, baseUrl, 'analyst');
});
afterAll(async () => {
	await b?.close();
});

describe('map first paint', () => {
	it('requests the incidents once, before the basemap has finished loading', async () => {
		await b.page.goto(`${baseUrl}/`);
		const started: { url: string; at: number }[] = [];
		const finished: { url: string; at: number }[] = [];
		b.page.on('request', (r) => started.push({ url: r.url(), at: performance.now() }));
		b.page.on('requestfinished', (r) => finished.push({ url: r.url(), at: performance.now() }));
		await b.page.goto(`${baseUrl}/map`);
		await b.page.locator('[data-testid="map"][data-loading="false"]').waitFor({ timeout: 120_000 });
		// The camera goes into the URL 400 ms after the first view: that echo must not ask again.
		await b.page.waitForTimeout(1500);

		const incidents = started.filter((r) => r.url.includes('/api/v1/map/incidents'));
		expect(incidents.map((r) => new URL(r.url).searchParams.get('limit'))).toEqual(['5000']);
		const basemap = finished.filter((r) => /\/(basemap|fonts)\//.test(r.url));
		expect(basemap.length).toBeGreaterThan(0);
		const basemapDone = Math.max(...basemap.map((r) => r.at));
		expect(incidents[0].at).toBeLessThan(basemapDone);
	});
});
