// First paint of the map: the incidents are asked for while maplibre itself is still on the wire
// (the first camera is worked out without it: $lib/map/camera.ts), and only once for the first
// view, which maplibre then reports the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e } from './helpers/server.ts';

const { baseUrl } = e2e();
let b: TestBrowser;

beforeAll(async () => {
	// A first visit, as on a field link: no service worker yet (page.route would not see what one
	// fetches, nor hold maplibre back).
	b = await openBrowser({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
	await signIn(b.page, baseUrl, 'analyst');
});
afterAll(async () => {
	await b?.close();
});

describe('map first paint', () => {
	it('requests the incidents once, before maplibre has finished loading', async () => {
		await b.page.goto(`${baseUrl}/`);
		// maplibre on a slow link: its file is held back 3 s.
		await b.page.route(/maplibre-gl\.[^/]*\.mjs$/, async (r) => {
			await new Promise((ok) => setTimeout(ok, 3000));
			await r.continue();
		});
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
		const maplibre = finished.find((r) => /maplibre-gl\.[^/]*\.mjs$/.test(r.url));
		expect(maplibre).toBeDefined();
		expect(incidents[0].at).toBeLessThan(maplibre!.at);
		const basemap = finished.filter((r) => /\/(basemap|fonts)\//.test(r.url));
		expect(basemap.length).toBeGreaterThan(0);
		const basemapDone = Math.max(...basemap.map((r) => r.at));
		expect(incidents[0].at).toBeLessThan(basemapDone);
	});
});
