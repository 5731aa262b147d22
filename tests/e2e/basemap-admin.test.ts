// Detailed basemaps added on the admin page (issue 13, point 5: "or on an admin page"), in Chromium
// against the real server, as an admin would:
// - an MBTiles file the test builds (tests/e2e/helpers/pmtiles-extract.ts) is chosen in the file
//   field, named, and sent; the page says it was added and lists it as MBTiles; the API lists it
//   and serves its tiles to a viewer;
// - a file that is not a basemap gets one line saying why, and nothing is added;
// - only admins may add or remove (the API answers others 403);
// - removing it on the page (after the confirmation) takes it off the list and the API.
// Screenshots at 1280 and 390 px, English and Arabic: test-results/e2e/basemap-admin-*.png.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildMbtiles } from './helpers/pmtiles-extract.ts';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, sessionCookie, tempDir } from './helpers/server.ts';

const { baseUrl } = e2e();
const NAME = `Dohuk MBTiles ${Date.now()}`;

interface Listed {
	id: string;
	name: string;
	format?: string;
	schema: string;
}
async function listed(): Promise<Listed[]> {
	const cookie = await sessionCookie('viewer');
	return (await (await http('/api/v1/basemaps', { cookie })).json()) as Listed[];
}

describe('detailed basemaps on the admin page', () => {
	let b: TestBrowser;
	afterAll(async () => {
		await b?.context.addCookies([{ name: 'terrain_lang', value: 'en', url: baseUrl }]);
		await b?.close();
	});

	it('is for admins only', async () => {
		const cookie = await sessionCookie('analyst');
		const r = await http('/api/v1/basemaps?name=x', { method: 'POST', cookie, body: 'x' });
		expect(r.status).toBe(403);
		expect((await http('/api/v1/basemaps/x-000000', { method: 'DELETE', cookie })).status).toBe(
			403
		);
		const page = await http('/admin/basemaps', { cookie, headers: { accept: 'text/html' } });
		expect(page.status).toBe(403);
	});

	it('adds an MBTiles file through the page, refuses a wrong one, and removes it', async () => {
		const dir = tempDir('terrain-mbtiles-');
		const good = join(dir, 'dohuk.mbtiles');
		buildMbtiles(good, 'protomaps');
		const bad = join(dir, 'notes.mbtiles');
		writeFileSync(bad, 'these are not tiles\n');
		const before = (await listed()).length;

		b = await openBrowser({ viewport: { width: 1280, height: 800 } });
		await signIn(b.page, baseUrl, 'admin');
		await b.page.goto(`${baseUrl}/admin/basemaps`);
		const form = b.page.getByTestId('basemap-add');

		// The wrong file first: one line saying why, nothing added.
		await form.locator('input[type="file"]').setInputFiles(bad);
		await form.locator('button[type="submit"]').click();
		const message = b.page.getByTestId('basemaps-message');
		await expect
			.poll(() => message.textContent(), { timeout: 20_000 })
			.toMatch(/file: the file is not a PMTiles v3 archive .*PMTiles or MBTiles files only/);
		expect(await message.getAttribute('role')).toBe('alert');
		expect((await listed()).length).toBe(before);

		// The MBTiles file, named, as a person fills the form top to bottom.
		await form.locator('input[type="file"]').setInputFiles(good);
		await form.locator('input[name="name"]').fill(NAME);
		await form.locator('button[type="submit"]').click();
		await expect
			.poll(() => message.textContent(), { timeout: 30_000 })
			.toContain(`“${NAME}” added`);
		const row = b.page.getByTestId('basemaps-list').locator('tr', { hasText: NAME });
		await expect.poll(() => row.textContent()).toContain('MBTiles · protomaps');
		const added = (await listed()).find((x) => x.name === NAME);
		expect(added).toMatchObject({ format: 'mbtiles', schema: 'protomaps' });
		// Its tiles are served (Dohuk at zoom 12).
		const tile = await http(`/api/v1/basemaps/${added!.id}/12/2537/1596.mvt`, {
			cookie: await sessionCookie('viewer')
		});
		expect(tile.status).toBe(200);
		expect((await tile.arrayBuffer()).byteLength).toBeGreaterThan(100);
		await screenshot(b.page, 'basemap-admin-1280-en');

		for (const [lang, width, height] of [
			['ar', 1280, 800],
			['ar', 390, 844],
			['en', 390, 844]
		] as const) {
			await b.context.addCookies([{ name: 'terrain_lang', value: lang, url: baseUrl }]);
			await b.page.setViewportSize({ width, height });
			await b.page.goto(`${baseUrl}/admin/basemaps`);
			await row.waitFor();
			const overflow = await b.page.evaluate(
				() => document.documentElement.scrollWidth - document.documentElement.clientWidth
			);
			await screenshot(b.page, `basemap-admin-${width}-${lang}`);
			expect(overflow, `${lang} ${width}`).toBeLessThanOrEqual(0);
		}
		await b.context.addCookies([{ name: 'terrain_lang', value: 'en', url: baseUrl }]);
		await b.page.goto(`${baseUrl}/admin/basemaps`);

		// Removal asks first, then the row and the API entry go.
		b.page.once('dialog', (d) => void d.accept());
		await row.getByRole('button').click();
		await expect
			.poll(() => message.textContent(), { timeout: 20_000 })
			.toContain(`“${NAME}” removed`);
		await expect.poll(() => row.count()).toBe(0);
		expect((await listed()).some((x) => x.name === NAME)).toBe(false);
		expect(b.requests.foreign()).toEqual([]);
	});
});
