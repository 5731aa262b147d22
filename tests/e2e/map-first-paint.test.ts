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
		// From a blank page: the app's root redirects to the map, whose own requests would count.
		await b.page.goto('about:blank');
		// maplibre on a slow link: its file is held back 3 s.
		await b.page.route(/maplibre-gl\.[^/]*\.mjs$/, async (r) => {
			await new Promise((ok) => setTimeout(ok, 3000));
			await r.continue();
		});
		const started: { url: string; at: number }[] = [];
		const finished: { url: string; at: number }[] = [];
		b.page.on('request', (r) => started.push({ url: r.url(), at: performance.now() }));
		// maplibre's worker fetches the basemap: the context sees its requests, the page does not.
		const workerUrls: string[] = [];
		b.context.on('request', (r) => workerUrls.push(r.url()));
		b.page.on('requestfinished', (r) => finished.push({ url: r.url(), at: performance.now() }));
		await b.page.goto(`${baseUrl}/map`);
		await b.page.locator('[data-testid="map"][data-loading="false"]').waitFor({ timeout: 120_000 });
		// The camera goes into the URL 400 ms after the first view: that echo must not ask again.
		await b.page.waitForTimeout(1500);

		const incidents = started.filter((r) => r.url.includes('/api/v1/map/incidents'));
		// The rest of the world's countries are not part of a first map of Iraq.
		expect(workerUrls.some((u) => u.includes('countries-world'))).toBe(false);
		expect(workerUrls.some((u) => u.endsWith('/basemap/countries.geojson'))).toBe(true);
		expect(incidents.map((r) => new URL(r.url).searchParams.get('limit'))).toEqual(['5000']);
		// The app's own code in few files: each is a round trip on a field link (vite.config.ts's
		// shell chunk): 51 requests before it.
		const code = started.filter((r) => /\/_app\/immutable\/.*\.(js|css)$/.test(r.url));
		expect(code.length).toBeLessThanOrEqual(32);
		// ... and all named in the page's <head>, so that they are asked for at once, not a round
		// trip later once the page's code has run (the shell chunk once hid 20 of them and the
		// components' CSS from SvelteKit: vite.config.ts). Only the kit's error page comes later.
		// (SvelteKit names the scripts in the response's Link header, the CSS in the <head>.)
		const page = await b.page.request.get(`${baseUrl}/map`);
		const head = `${page.headers()['link'] ?? ''}${(await page.text()).split('</head>')[0]}`;
		const late = code
			.map((r) => new URL(r.url).pathname)
			.filter((path) => !head.includes(path) && !/\/nodes\/1\.|\/assets\/1\./.test(path));
		expect(late).toEqual([]);
		const maplibre = finished.find((r) => /maplibre-gl\.[^/]*\.mjs$/.test(r.url));
		expect(maplibre).toBeDefined();
		expect(incidents[0].at).toBeLessThan(maplibre!.at);
		const basemap = finished.filter((r) => /\/(basemap|fonts)\//.test(r.url));
		expect(basemap.length).toBeGreaterThan(0);
		const basemapDone = Math.max(...basemap.map((r) => r.at));
		expect(incidents[0].at).toBeLessThan(basemapDone);
	});

	it('fetches the rest of the world once the map is zoomed out beyond the region', async () => {
		const urls: string[] = [];
		const track = (r: { url(): string }) => urls.push(r.url());
		b.context.on('request', track);
		try {
			await b.page.goto(`${baseUrl}/map?z=2&c=10,20`);
			await b.page
				.locator('[data-testid="map"][data-loading="false"]')
				.waitFor({ timeout: 120_000 });
			await expect
				.poll(() => urls.some((u) => u.includes('/basemap/countries-world.geojson')))
				.toBe(true);
		} finally {
			b.context.off('request', track);
		}
	});

	it("names the reader's language catalogue in the page's head", async () => {
		// Arabic: the catalogue's chunk is named in the HTML, so it leaves with the page's code.
		await b.context.addCookies([{ name: 'terrain_lang', value: 'ar', url: baseUrl }]);
		try {
			const html = await (await b.page.request.get(`${baseUrl}/login`)).text();
			const hrefs = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map(
				(m) => m[1]
			);
			expect(hrefs.length).toBeGreaterThan(0);
			const bodies = await Promise.all(
				hrefs.map(async (h) => (await b.page.request.get(`${baseUrl}${h}`)).text())
			);
			expect(bodies.some((t) => t.includes('تسجيل الدخول'))).toBe(true);
		} finally {
			await b.context.addCookies([{ name: 'terrain_lang', value: 'en', url: baseUrl }]);
		}
	});
});
