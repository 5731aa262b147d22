/**
 * Map export as a person uses it (issue 12, point 6): on the map, October 2016, they open Export,
 * give a title and take the view as a PNG, then as a PDF. The PNG is never blank: its pixels hold
 * the incident colours of the map and the white frame around it, and it is the map's size or
 * larger. The PDF (the server's Chromium lays the image out on A4; read with pdftotext) holds the
 * title, the date made and the classification marking as text (legend, scale, filters and
 * sources are drawn into the image itself).
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Pixels, openBrowser, signIn, waitForPixels, type Rgba } from './helpers/browser';
import { e2e, tempDir } from './helpers/server';
import { pdfText, shot } from './helpers/documents';
import { EVENT_TYPE_COLOURS, EVENT_TYPES } from '../../src/lib/domain/taxonomy';

const { baseUrl } = e2e();
const dir = tempDir('terrain-e2e-mapx-');
const tag = randomBytes(3).toString('hex');
const TITLE = `Ninewa October ${tag}`;

// Incidents are drawn at alpha 200/255 over Iraq's near-white fill (as in map.test.ts).
const IRAQ_FILL = [251, 250, 248];
const TYPE_PIXEL = EVENT_TYPES.map((t) =>
	EVENT_TYPE_COLOURS[t].map((v, i) => v * (200 / 255) + IRAQ_FILL[i] * (1 - 200 / 255))
);
const near = (p: Rgba, c: number[], tol = 24) =>
	Math.abs(p[0] - c[0]) <= tol && Math.abs(p[1] - c[1]) <= tol && Math.abs(p[2] - c[2]) <= tol;
const incidentPixels = (img: Pixels) => img.count((p) => TYPE_PIXEL.some((c) => near(p, c)));

describe('map export', () => {
	it('takes the view as a PNG with the incidents in it, and as a PDF with its words', async () => {
		const b = await openBrowser({ viewport: { width: 1280, height: 800 } });
		try {
			const { page } = b;
			page.setDefaultTimeout(90_000);
			await signIn(page, baseUrl, 'analyst');
			await page.goto(`${baseUrl}/map?from=2016-10-01&to=2016-10-31`);
			const canvas = page.locator('.maplibregl-canvas');
			await waitForPixels(canvas, (img) => incidentPixels(img) > 30, {
				name: 'mapx-on-screen',
				timeout: 120_000
			});
			const box = (await canvas.boundingBox())!;

			await page.getByTestId('map-export-open').click();
			await page.getByRole('textbox', { name: 'Title', exact: true }).fill(TITLE);
			const [png] = await Promise.all([
				page.waitForEvent('download', { timeout: 120_000 }),
				page.getByTestId('map-export-png').click()
			]);
			expect(png.suggestedFilename()).toMatch(/\.png$/);
			const img = Pixels.fromPng(readFileSync((await png.path())!));
			expect(img.width).toBeGreaterThanOrEqual(Math.floor(box.width));
			expect(img.height).toBeGreaterThanOrEqual(Math.floor(box.height));
			// never blank: the incidents as on screen, and the document's white frame (title, legend)
			expect(incidentPixels(img)).toBeGreaterThan(30);
			expect(img.count(([r, g, bl]) => r > 250 && g > 250 && bl > 250)).toBeGreaterThan(
				img.width * 20
			);

			const [pdf] = await Promise.all([
				page.waitForEvent('download', { timeout: 180_000 }),
				page.getByTestId('map-export-pdf').click()
			]);
			expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
			const text = pdfText(readFileSync((await pdf.path())!), dir, 'map.pdf');
			expect(text).toContain(TITLE);
			expect(text).toMatch(/RESTRICTED — /i);
			expect(text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
			await shot(page, 'map-export-1280-en');
			expect(b.requests.errors).toEqual([]);
		} finally {
			await b.close();
		}
	}, 400_000);
});
