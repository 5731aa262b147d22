// An overlay as the map's place filter (issue 13 item 4), in Chromium against the real server and
// the demo data, as an analyst does it: add a KML of two roads out of Mosul and a zone through the
// overlays panel, see it drawn in its colour, click the Mosul – Dohuk road, choose "Filter by
// this" (a corridor of 5 km), and the map's count equals GET /api/v1/incidents/counts for the
// stored geometry and for the same road sent inline from the test's own copy of its coordinates;
// widen it to 10 km in the place chip; remove it. Screenshots at 1280 and 390 px, English and
// Arabic, in test-results/e2e.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseLanguage } from './helpers/phone.ts';
import {
	openBrowser,
	screenshot,
	signIn,
	waitForPixels,
	Pixels,
	type Rgba,
	type TestBrowser
} from './helpers/browser.ts';
import { e2e, http, sessionCookie, tempDir } from './helpers/server.ts';

const { baseUrl } = e2e();
const STAMP = Date.now();
const MAGENTA = [255, 0, 255];
const KML = readFileSync(join(import.meta.dirname, '../fixtures/overlays/mosul-roads.kml'), 'utf8');
// The file's first road, as the test knows it (not read back from the server).
const ROAD = {
	type: 'LineString',
	coordinates: [
		[43.13, 36.34],
		[43.1, 36.42],
		[43.05, 36.55],
		[43.02, 36.7],
		[42.99, 36.86]
	]
};
/** A point on the road's 4th segment, far from the other road and the zone. */
const ON_ROAD: [number, number] = [43.035, 36.625];
const VIEW = { z: 9, c: [43.0, 36.6] as [number, number] };

let b: TestBrowser;
let cookie: string;
const dir = tempDir('terrain-ovfilter-');
const name = `Mosul roads ${STAMP}`;
const kmlPath = join(dir, `${name}.kml`);
writeFileSync(kmlPath, KML);

beforeAll(async () => {
	b = await openBrowser({ viewport: { width: 1280, height: 860 } });
	await signIn(b.page, baseUrl, 'analyst');
	cookie = await sessionCookie('analyst');
});
afterAll(async () => {
	await b?.close();
});

const canvas = () => b.page.locator('.maplibregl-canvas');
const panel = () => b.page.locator('section.overlays');
const countEl = () => b.page.locator('[data-testid="incident-count"]');
const chip = () => b.page.locator('[data-testid="place-chip"]');
const param = (p: string) => new URL(b.page.url()).searchParams.get(p);
const near = (p: Rgba, c: readonly number[], tol = 40) =>
	Math.abs(p[0] - c[0]) <= tol && Math.abs(p[1] - c[1]) <= tol && Math.abs(p[2] - c[2]) <= tol;
const magenta = (img: Pixels) => img.count((p) => near(p, MAGENTA));

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
	return ((await r.json()) as { total: number }).total;
}

/** Where [lon, lat] is drawn in the canvas (Web Mercator, 512-pixel tiles, URL centre in the middle). */
function project([lon, lat]: [number, number], w: number, h: number) {
	const size = 512 * 2 ** VIEW.z;
	const x = (l: number) => ((l + 180) / 360) * size;
	const y = (p: number) =>
		((1 - Math.log(Math.tan(Math.PI / 4 + (p * Math.PI) / 360)) / Math.PI) / 2) * size;
	return { x: w / 2 + x(lon) - x(VIEW.c[0]), y: h / 2 + y(lat) - y(VIEW.c[1]) };
}

/** Clicks the magenta pixel nearest to where ON_ROAD is drawn (the road itself, not beside it). */
async function clickRoad() {
	const img = Pixels.fromPng(await canvas().screenshot());
	const box = (await canvas().boundingBox())!;
	const scale = img.width / box.width;
	const want = project(ON_ROAD, box.width, box.height);
	let best: { x: number; y: number; d: number } | null = null;
	img.count((p, x, y) => {
		if (!near(p, MAGENTA)) return false;
		const d = Math.hypot(x / scale - want.x, y / scale - want.y);
		if (!best || d < best.d) best = { x: x / scale, y: y / scale, d };
		return true;
	});
	const hit = best as { x: number; y: number; d: number } | null;
	expect(hit, 'a magenta pixel of the road').not.toBeNull();
	expect(hit!.d).toBeLessThan(12);
	await b.page.mouse.click(box.x + hit!.x, box.y + hit!.y);
}

describe('an overlay road as the place filter', () => {
	let geometryId = '';

	it('adds a KML of roads through the page and sees it drawn', async () => {
		await b.page.goto(`${baseUrl}/map?layers=incidents&z=${VIEW.z}&c=${VIEW.c.join(',')}`);
		await settled();
		await b.page.locator('#ov-file').setInputFiles(kmlPath);
		await b.page.locator('#ov-name').fill(name);
		await b.page.locator('#ov-colour').fill('#ff00ff');
		await panel().getByRole('button', { name: 'Add overlay' }).click();
		await expect
			.poll(() => panel().locator('[role="status"]').textContent(), { timeout: 30_000 })
			.toContain(`Added “${name}”: 3 features.`);
		await waitForPixels(canvas(), (img) => magenta(img) > 400, { name: 'ovfilter-drawn' });
	});

	it('clicks the road, filters by it as a 5 km corridor, and the count is what the API counts', async () => {
		const before = await shownCount();
		await clickRoad();
		const popup = b.page.locator('.maplibregl-popup');
		await popup.getByText('Mosul – Dohuk road').waitFor({ timeout: 20_000 });
		const km = popup.locator('[data-testid="overlay-filter-km"]');
		expect(await km.inputValue()).toBe('5');
		await screenshot(b.page, 'ovfilter-popup-1280-en');
		await popup.locator('[data-testid="overlay-filter-apply"]').click();

		await expect.poll(() => param('geometry_id'), { timeout: 20_000 }).toMatch(/^[0-9a-f-]{36}$/);
		expect(param('within_km')).toBe('5');
		geometryId = param('geometry_id')!;
		await expect.poll(() => popup.count()).toBe(0);
		await expect.poll(() => chip().textContent()).toContain('Within 5 km of “Mosul – Dohuk road”');

		const stored = await apiTotal(`geometry_id=${geometryId}&within_km=5`);
		const inline = await apiTotal(
			`geometry=${encodeURIComponent(JSON.stringify(ROAD))}&within_km=5`
		);
		expect(stored).toBe(inline);
		expect(stored).toBeGreaterThan(10);
		expect(stored).toBeLessThan(before);
		await expect.poll(shownCount, { timeout: 60_000 }).toBe(stored);
		await screenshot(b.page, 'ovfilter-corridor-1280-en');
	});

	it('widens the corridor to 10 km in the place chip', async () => {
		const edit = b.page.locator('[data-testid="place-km-edit"]');
		await edit.fill('10');
		await edit.press('Tab');
		await expect.poll(() => param('within_km'), { timeout: 20_000 }).toBe('10');
		expect(param('geometry_id')).toBe(geometryId);
		const ten = await apiTotal(`geometry=${encodeURIComponent(JSON.stringify(ROAD))}&within_km=10`);
		expect(ten).toBeGreaterThan(await apiTotal(`geometry_id=${geometryId}&within_km=5`));
		await expect.poll(shownCount, { timeout: 60_000 }).toBe(ten);
		await expect.poll(() => chip().textContent()).toContain('Within 10 km of “Mosul – Dohuk road”');
	});

	it('a colleague opening the link in a fresh browser reads the road\u2019s name', async () => {
		// The name is stored with the geometry on the server, not kept in this tab.
		const other = await openBrowser({ viewport: { width: 1280, height: 860 } });
		try {
			await signIn(other.page, baseUrl, 'viewer');
			await other.page.goto(b.page.url());
			await other.page
				.locator('[data-testid="map"][data-loading="false"]')
				.waitFor({ timeout: 120_000 });
			await expect
				.poll(() => other.page.locator('[data-testid="place-chip"]').textContent(), {
					timeout: 30_000
				})
				.toContain('Within 10 km of “Mosul – Dohuk road”');
		} finally {
			await other.close();
		}
	});

	it('in Arabic and on a phone, the filter in force reads and draws', async () => {
		const url = b.page.url();
		await chooseLanguage(b.page, 'ar');
		await b.page.goto(url);
		await settled();
		await chip().waitFor();
		// After a reload (this tab), the chip still names the road it came from.
		expect(await chip().textContent()).toContain('Mosul – Dohuk road');
		await expect
			.poll(shownCount, { timeout: 60_000 })
			.toBe(await apiTotal(`geometry_id=${geometryId}&within_km=10`));
		await clickRoad();
		await b.page.locator('.maplibregl-popup [data-testid="overlay-filter"]').waitFor();
		await screenshot(b.page, 'ovfilter-popup-1280-ar');
		await b.page.setViewportSize({ width: 390, height: 844 });
		await b.page.goto(url);
		await settled();
		await screenshot(b.page, 'ovfilter-corridor-390-ar');
		await chooseLanguage(b.page, 'en');
		await b.page.goto(url);
		await settled();
		await expect.poll(() => chip().textContent()).toContain('Within 10 km of “Mosul – Dohuk road”');
		await screenshot(b.page, 'ovfilter-corridor-390-en');
		await b.page.setViewportSize({ width: 1280, height: 860 });
	});

	it('removes the filter with the chip', async () => {
		await b.page.goto(b.page.url());
		await settled();
		await b.page.locator('[data-testid="place-clear"]').click();
		await expect.poll(() => param('geometry_id')).toBeNull();
		expect(param('within_km')).toBeNull();
		await expect.poll(() => chip().count()).toBe(0);
	});
});

/** Adds a file through the overlays panel, as the first test does, and waits for it to be drawn. */
async function addOverlay(file: string, label: string, colour: string, features: number) {
	await b.page.locator('#ov-file').setInputFiles(file);
	await b.page.locator('#ov-name').fill(label);
	await b.page.locator('#ov-colour').fill(colour);
	await panel().getByRole('button', { name: 'Add overlay' }).click();
	await expect
		.poll(() => panel().locator('[role="status"]').textContent(), { timeout: 30_000 })
		.toContain(`Added “${label}”: ${features} feature`);
}

describe('the other ways an overlay becomes the place filter', () => {
	const CYAN = [0, 255, 255];
	const cyan = (img: Pixels) => img.count((p) => near(p, CYAN));
	const view = `/map?layers=incidents&z=${VIEW.z}&c=${VIEW.c.join(',')}`;
	/** A checkpoint of the team's own list, on the road 20 km north of Mosul. */
	const CHECKPOINT: [number, number] = [43.1, 36.42];

	it('"Filter by this layer": both roads of a lines-only layer become one 5 km corridor', async () => {
		const roads = {
			type: 'FeatureCollection',
			features: [
				{ type: 'Feature', properties: { name: 'Mosul – Dohuk road' }, geometry: ROAD },
				{
					type: 'Feature',
					properties: { name: 'Mosul – Tel Afar road' },
					geometry: {
						type: 'LineString',
						coordinates: [
							[43.13, 36.34],
							[42.9, 36.36],
							[42.65, 36.37],
							[42.45, 36.37]
						]
					}
				}
			]
		};
		const file = join(dir, `Roads only ${STAMP}.geojson`);
		writeFileSync(file, JSON.stringify(roads));
		const label = `Roads only ${STAMP}`;
		await b.page.goto(`${baseUrl}${view}`);
		await settled();
		await addOverlay(file, label, '#ff00ff', 2);
		const item = panel().locator('li', { hasText: label });
		await item.getByTestId('overlay-filter-layer').click();
		await expect.poll(() => param('geometry_id'), { timeout: 20_000 }).toMatch(/^[0-9a-f-]{36}$/);
		expect(param('within_km')).toBe('5');
		await expect.poll(() => chip().textContent()).toContain(`Within 5 km of “${label}”`);
		const both = {
			type: 'MultiLineString',
			coordinates: roads.features.map((f) => f.geometry.coordinates)
		};
		const inline = await apiTotal(
			`geometry=${encodeURIComponent(JSON.stringify(both))}&within_km=5`
		);
		expect(inline).toBeGreaterThan(
			await apiTotal(`geometry=${encodeURIComponent(JSON.stringify(ROAD))}&within_km=5`)
		);
		expect(await apiTotal(`geometry_id=${param('geometry_id')}&within_km=5`)).toBe(inline);
		await expect.poll(shownCount, { timeout: 60_000 }).toBe(inline);
		await screenshot(b.page, 'ovfilter-layer-1280-en');
		await b.page.locator('[data-testid="place-clear"]').click();
		await expect.poll(() => param('geometry_id')).toBeNull();
	});

	it('a zone clicked on the map filters inside it', async () => {
		await b.page.goto(`${baseUrl}${view}&ov=${await overlayId(name)}`);
		await settled();
		const box = (await canvas().boundingBox())!;
		const at = project([43.1325, 36.3425], box.width, box.height);
		await b.page.mouse.click(box.x + at.x, box.y + at.y);
		const popup = b.page.locator('.maplibregl-popup');
		await popup.getByText('Old city').waitFor({ timeout: 20_000 });
		expect(await popup.locator('[data-testid="overlay-filter-km"]').count()).toBe(0);
		await popup.locator('[data-testid="overlay-filter-apply"]').click();
		await expect.poll(() => param('geometry_id'), { timeout: 20_000 }).toMatch(/^[0-9a-f-]{36}$/);
		expect(param('within_km')).toBeNull();
		await expect.poll(() => chip().textContent()).toContain('Inside “Old city”');
		const zone = {
			type: 'Polygon',
			coordinates: [
				[
					[43.115, 36.33],
					[43.15, 36.33],
					[43.15, 36.355],
					[43.115, 36.355],
					[43.115, 36.33]
				]
			]
		};
		const inline = await apiTotal(`geometry=${encodeURIComponent(JSON.stringify(zone))}`);
		expect(inline).toBeGreaterThan(0);
		await expect.poll(shownCount, { timeout: 60_000 }).toBe(inline);
		await b.page.locator('[data-testid="place-clear"]').click();
		await expect.poll(() => param('geometry_id')).toBeNull();
	});

	it('a point clicked on the map becomes a circle of the radius given in its popup', async () => {
		const file = join(dir, `Checkpoints ${STAMP}.geojson`);
		writeFileSync(
			file,
			JSON.stringify({
				type: 'FeatureCollection',
				features: [
					{
						type: 'Feature',
						properties: { name: 'Checkpoint 12' },
						geometry: { type: 'Point', coordinates: CHECKPOINT }
					}
				]
			})
		);
		await b.page.goto(`${baseUrl}/map?layers=&z=${VIEW.z}&c=${VIEW.c.join(',')}`);
		await settled();
		await addOverlay(file, `Checkpoints ${STAMP}`, '#00ffff', 1);
		const img = await waitForPixels(canvas(), (i) => cyan(i) > 10, { name: 'ovfilter-point' });
		const box = (await canvas().boundingBox())!;
		const scale = img.width / box.width;
		let sx = 0;
		let sy = 0;
		const n = img.count((p, x, y) => {
			if (!near(p, CYAN)) return false;
			sx += x;
			sy += y;
			return true;
		});
		await b.page.mouse.click(box.x + sx / n / scale, box.y + sy / n / scale);
		const popup = b.page.locator('.maplibregl-popup');
		await popup.getByText('Checkpoint 12').waitFor({ timeout: 20_000 });
		const km = popup.locator('[data-testid="overlay-filter-km"]');
		await km.fill('8');
		await popup.locator('[data-testid="overlay-filter-apply"]').click();
		await expect.poll(() => param('within_km'), { timeout: 20_000 }).toBe('8');
		expect([Number(param('lon')), Number(param('lat'))]).toEqual(CHECKPOINT);
		await expect.poll(() => chip().textContent()).toContain('Within 8 km of “Checkpoint 12”');
		await b.page.goto(b.page.url().replace('layers=&', 'layers=incidents&'));
		await expect
			.poll(shownCount, { timeout: 60_000 })
			.toBe(await apiTotal(`lat=${CHECKPOINT[1]}&lon=${CHECKPOINT[0]}&within_km=8`));
		await screenshot(b.page, 'ovfilter-point-1280-en');
	});
});

async function overlayId(label: string): Promise<string> {
	const r = await http('/api/v1/overlays', { cookie });
	const list = (await r.json()) as { id: string; name: string }[];
	const o = list.find((x) => x.name === label);
	expect(o, label).toBeDefined();
	return o!.id;
}
