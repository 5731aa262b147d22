// Detailed offline basemaps (issue 13, point 5), in Chromium against the real server:
// - the test builds a small PMTiles extract near Dohuk (tests/e2e/helpers/pmtiles-extract.ts: roads
//   of three classes, the town with Arabic/Sorani names, a lake) and adds it with
//   `terrain basemap add` to the e2e server's data directory, next to the running server;
// - the list and the tiles are for signed-in users only;
// - on the map, switching to it draws its roads (the motorway's orange and the main road's
//   yellow, colours the built-in basemap never uses), switching back removes them, and a reload
//   keeps the choice (and the service worker has kept tiles for offline use); the choice is in the
//   URL (basemap=<id>): the link opens on it in another user's fresh browser, and a link naming
//   none opens on the device's own last choice; no request leaves localhost at any point.
// Screenshots at 1280 and 390 px, English and Arabic: test-results/e2e/basemap-pmtiles-*.png.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExtract } from './helpers/pmtiles-extract.ts';
import { DETAIL_COLORS } from '../../src/lib/map/pmtiles-style.ts';
import {
	openBrowser,
	screenshot,
	signIn,
	waitForPixels,
	type Pixels,
	type TestBrowser
} from './helpers/browser.ts';
import { cli, e2e, http, sessionCookie, tempDir } from './helpers/server.ts';

const { baseUrl, dataDir } = e2e();
const NAME = `Dohuk detail ${Date.now()}`;
const VIEW = 'z=12.5&c=43.0,36.86&layers=';
let id = '';

const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
const near = (c: number[]) => (p: readonly number[]) =>
	Math.abs(p[0] - c[0]) < 28 && Math.abs(p[1] - c[1]) < 28 && Math.abs(p[2] - c[2]) < 28;
const HIGHWAY = near(hex(DETAIL_COLORS.highway));
const MAJOR = near(hex(DETAIL_COLORS.major));
const roads = (img: Pixels) => ({ highway: img.count(HIGHWAY), major: img.count(MAJOR) });

async function canvasOf(b: TestBrowser) {
	await b.page.locator('[data-testid="map"][data-loading="false"]').waitFor({ timeout: 120_000 });
	return b.page.locator('.maplibregl-canvas');
}

describe.skipIf(!dataDir)('detailed offline basemap (PMTiles)', () => {
	let b: TestBrowser;

	beforeAll(async () => {
		const file = join(tempDir('terrain-pmtiles-'), 'dohuk.pmtiles');
		writeFileSync(file, buildExtract('protomaps'));
		const r = await cli(['basemap', 'add', file, '--name', NAME], { TERRAIN_DATA_DIR: dataDir });
		id = /basemap (\S+) /.exec(r.stdout)?.[1] ?? '';
		expect(id).toMatch(/^dohuk-detail-\d+-[0-9a-f]{6}$/);
	});
	afterAll(async () => {
		await b?.context.addCookies([{ name: 'terrain_lang', value: 'en', url: baseUrl }]);
		await b?.close();
		if (id) await cli(['basemap', 'remove', id], { TERRAIN_DATA_DIR: dataDir });
	});

	it('serves the list and the tiles to signed-in users only', async () => {
		const tile = `/api/v1/basemaps/${id}/12/2537/1596.mvt`;
		expect((await http('/api/v1/basemaps')).status).toBe(401);
		expect((await http(tile)).status).toBe(401);
		const cookie = await sessionCookie('viewer');
		const list = (await (await http('/api/v1/basemaps', { cookie })).json()) as {
			id: string;
			schema: string;
		}[];
		expect(list.find((x) => x.id === id)?.schema).toBe('protomaps');
		const res = await http(tile, { cookie });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
		// Kept for offline use by the service worker: private, never no-store.
		expect(res.headers.get('cache-control')).toBe('private, no-cache');
		expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
		expect((await http(`/api/v1/basemaps/nope-000000/12/2537/1596.mvt`, { cookie })).status).toBe(
			404
		);
	});

	it('switches to the detailed basemap and back, with no request leaving localhost', async () => {
		b = await openBrowser({ viewport: { width: 1280, height: 800 } });
		await signIn(b.page, baseUrl, 'analyst');
		await b.page.goto(`${baseUrl}/map?${VIEW}`);
		const canvas = await canvasOf(b);
		const select = b.page.getByTestId('basemap-select');
		await expect(select.inputValue()).resolves.toBe('');
		const before = roads(
			await waitForPixels(canvas, (i) => i.count((p) => p[3] > 0) > 1000, { name: 'bm-before' })
		);
		expect(before.highway + before.major).toBeLessThan(50);

		await select.selectOption(id);
		const drawn = roads(
			await waitForPixels(
				canvas,
				(i) => {
					const r = roads(i);
					return r.highway > 400 && r.major > 300;
				},
				{ name: 'basemap-pmtiles-roads', timeout: 90_000 }
			)
		);
		expect(drawn.highway).toBeGreaterThan(400);
		await screenshot(b.page, 'basemap-pmtiles-1280-en');
		expect(b.requests.urls.some((u) => u.includes(`/api/v1/basemaps/${id}/`))).toBe(true);

		// Back to the built-in basemap: the roads go.
		await select.selectOption('');
		await waitForPixels(
			canvas,
			(i) => {
				const r = roads(i);
				return r.highway + r.major < 50;
			},
			{ name: 'basemap-pmtiles-back' }
		);

		// The choice is map state: in the URL, so a link carries it to a colleague's browser.
		await select.selectOption(id);
		const basemapParam = () => new URL(b.page.url()).searchParams.get('basemap');
		await expect.poll(basemapParam, { timeout: 10_000 }).toBe(id);
		const other = await openBrowser({ viewport: { width: 1280, height: 800 } });
		try {
			await signIn(other.page, baseUrl, 'viewer');
			await other.page.goto(b.page.url());
			await canvasOf(other);
			await expect(other.page.getByTestId('basemap-select').inputValue()).resolves.toBe(id);
			await waitForPixels(other.page.locator('.maplibregl-canvas'), (i) => roads(i).highway > 400, {
				name: 'basemap-pmtiles-link'
			});
			expect(other.requests.foreign()).toEqual([]);
		} finally {
			await other.close();
		}

		// And kept on this device: a link naming no basemap opens on it, and says so in its URL.
		await b.page.goto(`${baseUrl}/map?${VIEW}`);
		await canvasOf(b);
		await expect(b.page.getByTestId('basemap-select').inputValue()).resolves.toBe(id);
		await expect.poll(basemapParam, { timeout: 10_000 }).toBe(id);
		await waitForPixels(b.page.locator('.maplibregl-canvas'), (i) => roads(i).highway > 400, {
			name: 'basemap-pmtiles-reload'
		});

		// The service worker keeps the tiles seen, for the map offline ($lib/offline/policy).
		await b.page.waitForFunction(
			async (prefix) => {
				for (const k of await caches.keys())
					for (const r of await (await caches.open(k)).keys())
						if (r.url.includes(prefix)) return true;
				return false;
			},
			`/api/v1/basemaps/${id}/`,
			{ timeout: 30_000, polling: 1000 }
		);

		expect(b.requests.foreign()).toEqual([]);
		expect(b.requests.errors).toEqual([]);
	});

	it('looks right at 390 px and in Arabic', async () => {
		for (const [lang, width, height] of [
			['ar', 1280, 800],
			['ar', 390, 844],
			['en', 390, 844]
		] as const) {
			await b.context.addCookies([{ name: 'terrain_lang', value: lang, url: baseUrl }]);
			await b.page.setViewportSize({ width, height });
			await b.page.goto(`${baseUrl}/map?${VIEW}`);
			const canvas = await canvasOf(b);
			await waitForPixels(canvas, (i) => roads(i).highway > 150, {
				name: `basemap-pmtiles-${width}-${lang}`,
				timeout: 90_000
			});
			// Let the names' fonts land before the picture.
			await b.page.waitForTimeout(1500);
			await screenshot(b.page, `basemap-pmtiles-${width}-${lang}`);
		}
		expect(b.requests.foreign()).toEqual([]);
	});
});
