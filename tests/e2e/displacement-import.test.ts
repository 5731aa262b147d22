/**
 * Displacement locations (issue 9) from a DTM-style master list, as an analyst does it: the file
 * goes through the Import page (target "Displacement locations", a source name, dry run, commit),
 * the rows are read back through the API, and the map's displacement layer draws them (purple
 * circles where a location lies; a click names it with its people and shelter types).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	openBrowser,
	screenshot,
	signIn,
	waitForPixels,
	type Rgba,
	type TestBrowser
} from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';

const { baseUrl } = e2e();
const FILE = join(import.meta.dirname, '..', 'fixtures', 'import', 'dtm_locations.csv');
// A short lower-case name, as the page asks (it refuses "DTM master list").
const SOURCE = `dtm-e2e-${Date.now().toString(36)}`;
// The file's first row, in the Anbar desert (no town, camp or incident under it).
const WADI = { name: 'Wadi Hauran gathering', lon: 41.6, lat: 33.05, people: 19600 };

type Feature = { properties: Record<string, unknown>; geometry: { coordinates: number[] } };

describe('displacement locations from the Import page to the map', () => {
	let b: TestBrowser;
	let cookie = '';
	beforeAll(async () => {
		b = await openBrowser({ viewport: { width: 1280, height: 800 } });
		await signIn(b.page, baseUrl, 'analyst');
		cookie = await sessionCookie('analyst');
	});
	afterAll(async () => b?.close());

	it('imports the list through the page and shows the layer on the map', async () => {
		const p = b.page;
		await p.goto(`${baseUrl}/import`);
		// What to import into, then which file, then the source's name: top to bottom.
		await p.getByLabel('Import into').selectOption('displacement_locations');
		await p.getByTestId('import-file').setInputFiles(FILE);
		await p.getByTestId('import-source').fill(SOURCE);
		await p.getByRole('button', { name: 'Check the file (dry run)' }).click();
		await p
			.locator('[data-testid="import-result"], .import .error')
			.first()
			.waitFor({ timeout: 90_000 });
		await screenshot(p, 'displacement-dry-run');
		expect(await p.getByTestId('import-dry').innerText()).toMatch(/Dry run: 3 rows read/);
		await p.getByTestId('import-commit').click();
		await p.getByTestId('import-done').waitFor({ timeout: 60_000 });
		expect(await p.getByTestId('import-result').innerText()).toMatch(/3 new/);

		// Read back through the API, field by field for the first row.
		const r = await http('/api/v1/sites/displacement_locations', { cookie });
		expect(r.status).toBe(200);
		const fc = (await r.json()) as { features: Feature[] };
		const ours = fc.features.filter((f) =>
			String(f.properties.upstream_id).startsWith('IQ-DL-E2E-')
		);
		expect(ours.map((f) => f.properties.name).sort()).toEqual([
			'Kasnazan informal site',
			'Sheikhan centre',
			WADI.name
		]);
		const w = ours.find((f) => f.properties.name === WADI.name)!;
		expect(w.geometry.coordinates[0]).toBeCloseTo(WADI.lon, 5);
		expect(w.geometry.coordinates[1]).toBeCloseTo(WADI.lat, 5);
		expect(w.properties.population).toBe(WADI.people);
		expect(w.properties.households).toBe(3200);
		// The source is the name the user typed, not the file's name.
		expect([w.properties.source, w.properties.upstream_source]).toContain(SOURCE);
		const shelter =
			typeof w.properties.shelter === 'string'
				? JSON.parse(w.properties.shelter)
				: w.properties.shelter;
		expect(shelter).toEqual({
			host_family: 2000,
			rented: 9000,
			informal_settlement: 6600,
			unfinished_building: 2000
		});

		// The map, centred on the Wadi Hauran location, the layer switched on as a person does.
		await p.goto(`${baseUrl}/map?z=9&c=${WADI.lon},${WADI.lat}`);
		await p.locator('[data-testid="map"][data-loading="false"]').waitFor({ timeout: 120_000 });
		await p.locator('input[data-layer="displacement_locations"]').check();
		await expect.poll(() => new URL(p.url()).searchParams.get('displacement')).toBe('1');
		await expect
			.poll(() => p.getByTestId('displacement-count').getAttribute('data-count'), {
				timeout: 30_000
			})
			.toBe(String(fc.features.length));
		// Purple (#6a3d9a) at 30 % over the near-white land, in a ring around the centre.
		const canvas = p.locator('.maplibregl-canvas');
		const box = (await canvas.boundingBox())!;
		const cx = Math.round(box.width / 2);
		const cy = Math.round(box.height / 2);
		const fill = [106, 61, 154].map((v, i) => v * 0.3 + [251, 250, 248][i] * 0.7);
		const near = (q: Rgba) => q.every((v, i) => i === 3 || Math.abs(v - fill[i]) <= 26);
		await waitForPixels(
			canvas,
			(img) =>
				img.count((q, x, y) => Math.abs(x - cx) <= 12 && Math.abs(y - cy) <= 12 && near(q)) >
				0.5 * 25 * 25,
			{ name: 'displacement-layer' }
		);
		await screenshot(p, 'displacement-layer');
		// A click names it, with its people and shelter types.
		await p.mouse.click(box.x + cx, box.y + cy);
		const popup = p.getByTestId('displacement-popup');
		await popup.waitFor();
		const text = await popup.innerText();
		expect(text).toContain(WADI.name);
		expect(text).toMatch(/19,600/);

		// Switched off while the map is still loading tiles (here: zooming in on the location from the
		// keyboard, which keeps the centre), the circles go all the same. The layer used to wait for
		// maplibre's `load` again whenever a source had tiles in flight, and stayed on (CI, stop 38).
		await canvas.focus();
		await p.keyboard.press('Equal');
		await p.locator('input[data-layer="displacement_locations"]').uncheck();
		await waitForPixels(
			canvas,
			(img) =>
				img.count((q, x, y) => Math.abs(x - cx) <= 12 && Math.abs(y - cy) <= 12 && near(q)) === 0,
			{ name: 'displacement-layer-off' }
		);
	});
});
