/**
 * Issue 12, "buffer a route": an analyst assesses the corridor along the Kirkuk–Tikrit road as a
 * person does it. On /assess: "Route and buffer", a polygon file first (refused, the file named),
 * then the road's GPX track through the page's file field (the map frames the road), a buffer of
 * 0, -3, 150 and nothing (each refused naming the field), then 5 km, Compile. The profile's
 * incident total equals an independent count: the incident list's own corridor filter
 * (GET /api/v1/incidents?geometry=<line>&within_km=5&precise=true, ST_DWithin on geography, not the
 * profile's buffered polygon). Saved with a title, read back through GET /api/v1/assessments/{id}
 * field by field (the query's LineString and buffer_km); run again through the API (same route,
 * same km, same total); reopened from the list: the road drawn over its corridor, the km said.
 * Screens at 1280 px in English and 390 px in Arabic.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { e2e, http, sessionCookie, tempDir } from './helpers/server';
import { hydrated, openBrowser, signIn, waitForPixels, type Rgba } from './helpers/browser';
import { flat, overflow, shot } from './helpers/documents';

const { baseUrl } = e2e();
const tag = randomBytes(3).toString('hex');
const TITLE = `Kirkuk–Tikrit road ${tag}`;
const GPX = join(import.meta.dirname, '..', 'fixtures', 'routes', 'kirkuk-tikrit.gpx');
// The track in the file (lon, lat), as the API must give it back.
const TRACK: [number, number][] = [
	[44.392, 35.468],
	[44.25, 35.33],
	[44.1, 35.15],
	[43.9, 34.9],
	[43.68, 34.61]
];
const KM = 5;
const LINE = { type: 'LineString', coordinates: TRACK };
const POLYGON = {
	type: 'FeatureCollection',
	features: [
		{
			type: 'Feature',
			properties: { name: 'A field' },
			geometry: {
				type: 'Polygon',
				coordinates: [
					[
						[44.1, 35.1],
						[44.2, 35.1],
						[44.2, 35.2],
						[44.1, 35.1]
					]
				]
			}
		}
	]
};
const num = (s: string | null) => Number(flat(s ?? '').replace(/[,\s]/g, ''));
// The drawn route's ink (SketchLayer's SKETCH_INK), give or take antialiasing.
const isInk = ([r, g, b]: Rgba) =>
	Math.abs(r - 20) < 14 && Math.abs(g - 24) < 14 && Math.abs(b - 22) < 14;

async function zoomOf(page: Page) {
	return Number(await page.getByTestId('assess-map').getAttribute('data-zoom'));
}

describe('assess a route and its buffer', () => {
	let id = '';
	let expected = -1;

	it('loads a GPX route, refuses a bad buffer, compiles, saves and reopens it', async () => {
		const analyst = await sessionCookie('analyst');
		// The independent count: the incident list's corridor filter over the same line.
		const listed = await http(
			`/api/v1/incidents?geometry=${encodeURIComponent(JSON.stringify(LINE))}&within_km=${KM}&precise=true&limit=1`,
			{ cookie: analyst }
		);
		expect(listed.status, await listed.clone().text()).toBe(200);
		expected = ((await listed.json()) as { total: number }).total;
		// The road runs through Kirkuk and Tikrit: there is something to count (206 in the demo data).
		expect(expected).toBeGreaterThan(50);

		const b = await openBrowser({ viewport: { width: 1280, height: 900 } });
		try {
			const { page } = b;
			page.setDefaultTimeout(90_000);
			await signIn(page, baseUrl, 'analyst');
			await page.goto(`${baseUrl}/assess`);
			await hydrated(page);
			await page.getByLabel('Route and buffer').check();
			const file = page.getByTestId('route-file');
			await file.waitFor();
			await expect
				.poll(() => page.getByTestId('assess-map').getAttribute('data-zoom'))
				.toBeTruthy();
			const zoomBefore = await zoomOf(page);

			// A polygon is not a route: refused, naming the file.
			const bad = join(tempDir(), 'field.geojson');
			writeFileSync(bad, JSON.stringify(POLYGON));
			await file.setInputFiles(bad);
			await expect
				.poll(() => page.getByTestId('route-file-error').textContent())
				.toMatch(/field\.geojson: no line to use as a route/);
			// the browser logs that refusal (a 400) and nothing else
			await expect.poll(() => b.requests.errors.length).toBe(1);
			expect(b.requests.errors[0]).toMatch(/status of 400/);
			b.requests.clear();

			// The road's track, through the page's own file field.
			await file.setInputFiles(GPX);
			await expect
				.poll(() => page.getByTestId('route-file-note').textContent())
				.toContain('kirkuk-tikrit.gpx');
			expect(await page.getByTestId('route-file-error').count()).toBe(0);
			expect(await page.getByTestId('draw-hint').getAttribute('data-vertices')).toBe(
				String(TRACK.length)
			);
			// The map frames the road (it used to stay on all of Iraq): closer in, centred on it.
			await expect.poll(() => zoomOf(page), { timeout: 30_000 }).toBeGreaterThan(zoomBefore + 1);
			const [cx, cy] = (await page.getByTestId('assess-map').getAttribute('data-center'))!
				.split(',')
				.map(Number);
			expect(cx).toBeGreaterThan(43.68);
			expect(cx).toBeLessThan(44.392);
			expect(cy).toBeGreaterThan(34.61);
			expect(cy).toBeLessThan(35.468);

			// Bad buffers, each refused naming the field; no profile is compiled.
			const km = page.getByLabel('Buffer either side of the route (km)');
			expect(await km.inputValue()).toBe('5');
			for (const v of ['0', '-3', '150', '']) {
				await km.fill(v);
				await page.getByTestId('run').click();
				await expect
					.poll(() => page.getByTestId('km-error').textContent())
					.toContain('Buffer either side of the route (km): must be more than 0 and at most 100.');
				expect(await km.getAttribute('aria-invalid')).toBe('true');
				expect(await page.getByTestId('profile').count()).toBe(0);
			}

			await km.fill(String(KM));
			await expect.poll(() => page.getByTestId('km-error').count()).toBe(0);
			await page.getByTestId('run').click();
			const profile = page.getByTestId('profile');
			await profile.waitFor({ timeout: 120_000 });
			expect(await page.getByTestId('problem').count()).toBe(0);
			expect(await profile.getAttribute('data-total')).toBe(String(expected));
			expect(num(await page.getByTestId('incidents-total').textContent())).toBe(expected);
			expect(await page.getByTestId('profile-buffer').getAttribute('data-km')).toBe(String(KM));
			expect(await page.getByTestId('profile-map').getAttribute('data-route')).toBe(
				`line:${TRACK.length}`
			);
			await page.locator('[data-testid="profile-map"] [data-loading="false"]').waitFor();
			await shot(page, 'assess-route-1280-en');

			// Saved with a title.
			const save = page.getByTestId('save-form');
			await save.getByLabel('Title').fill(TITLE);
			await save.getByRole('button', { name: 'Save assessment' }).click();
			await expect.poll(() => page.getByTestId('saved').count()).toBe(1);
			const list = (await (await http('/api/v1/assessments', { cookie: analyst })).json()) as {
				id: string;
				title: string;
			}[];
			id = list.find((a) => a.title === TITLE)?.id ?? '';
			expect(id).toBeTruthy();

			// Reopened from the list: the road drawn over its corridor, the km said.
			await page
				.locator(`[data-testid="saved-list"] li[data-id="${id}"]`)
				.getByRole('link', { name: TITLE })
				.click();
			await page.waitForURL(`**/assess/${id}`);
			expect(await page.getByTestId('assessment-title').textContent()).toBe(TITLE);
			expect(num(await page.getByTestId('incidents-total').textContent())).toBe(expected);
			expect(await page.getByTestId('profile-buffer').getAttribute('data-km')).toBe(String(KM));
			expect(flat((await page.getByTestId('profile-buffer').textContent()) ?? '')).toBe(
				`within ${KM} km`
			);
			const map = page.getByTestId('profile-map');
			expect(await map.getAttribute('data-route')).toBe(`line:${TRACK.length}`);
			await waitForPixels(map, (img) => img.count(isInk) > 40, { name: 'assess-route-drawn' });
			await map.locator('[data-loading="false"]').waitFor({ timeout: 60_000 });
			await shot(page, 'assess-route-saved-1280-en');
			expect(b.requests.errors).toEqual([]);
		} finally {
			await b.close();
		}

		// Read back through the API, field by field.
		const a = await (await http(`/api/v1/assessments/${id}`, { cookie: analyst })).json();
		expect(a.id).toBe(id);
		expect(a.title).toBe(TITLE);
		expect(a.status).toBe('draft');
		expect(a.query.geometry.type).toBe('LineString');
		expect(a.query.geometry.coordinates).toEqual(TRACK);
		expect(a.query.buffer_km).toBe(KM);
		expect(a.query.area).toBeUndefined();
		expect(a.snapshot.area.mode).toBe('buffer');
		expect(a.snapshot.area.buffer_km).toBe(KM);
		expect(a.snapshot.incidents.total).toBe(expected);
		expect(a.snapshot.incidents.counted_by).toBe('exact_location');

		// Run again: the same route and km, so the same count.
		const rr = await http(`/api/v1/assessments/${id}/rerun`, { method: 'POST', cookie: analyst });
		expect(rr.status, await rr.clone().text()).toBe(200);
		const again = await rr.json();
		expect(again.assessment.query).toEqual(a.query);
		expect(again.current.area.buffer_km).toBe(KM);
		expect(again.current.area.mode).toBe('buffer');
		expect(again.current.incidents.total).toBe(expected);
	}, 360_000);

	it('a phone in Arabic: the route form and the saved route', async () => {
		expect(id).toBeTruthy();
		const b = await openBrowser({ viewport: { width: 390, height: 844 }, locale: 'ar' });
		try {
			const { page } = b;
			page.setDefaultTimeout(90_000);
			await signIn(page, baseUrl, 'analyst');
			await page.goto(`${baseUrl}/assess`);
			await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('rtl');
			await hydrated(page);
			await page.getByTestId('how-route').check();
			await page.getByTestId('route-file').setInputFiles(GPX);
			await expect
				.poll(() => page.getByTestId('route-file-note').count(), { timeout: 30_000 })
				.toBe(1);
			await page.getByTestId('buffer-km').fill('0');
			await page.getByTestId('run').click();
			await expect
				.poll(() => page.getByTestId('km-error').textContent())
				.toContain('المسافة على جانبي الطريق (كم)');
			await page.getByTestId('buffer-km').fill(String(KM));
			await page.getByTestId('run').click();
			await page.getByTestId('profile').waitFor({ timeout: 120_000 });
			expect(await page.getByTestId('profile').getAttribute('data-total')).toBe(String(expected));
			expect(await overflow(page)).toBeLessThanOrEqual(1);
			await page.getByTestId('how-route').scrollIntoViewIfNeeded();
			await shot(page, 'assess-route-390-ar');

			await page.goto(`${baseUrl}/assess/${id}`);
			const map = page.getByTestId('profile-map');
			expect(await map.getAttribute('data-route')).toBe(`line:${TRACK.length}`);
			await map.scrollIntoViewIfNeeded();
			await waitForPixels(map, (img) => img.count(isInk) > 20, { name: 'assess-route-drawn-ar' });
			await map.locator('[data-loading="false"]').waitFor({ timeout: 60_000 });
			expect(await overflow(page)).toBeLessThanOrEqual(1);
			await shot(page, 'assess-route-saved-390-ar');
			expect(b.requests.errors).toEqual([]);
		} finally {
			await b.close();
		}
	}, 300_000);
});
