// Drawing on maps, in Chromium against the real server and the UCDP demo data: an analyst draws
// an area around Mosul on the proximity screen and gets what the API gets for the same geometry,
// highlighted on the map and reproduced by the URL; a self-intersecting area is refused before
// any query. On an actor page an analyst draws a presence polygon, which is saved, listed and
// drawn after a reload; a viewer sees no editing controls and the server refuses their post.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import {
	openBrowser,
	screenshot,
	signIn,
	waitForPixels,
	waitUntilLoaded,
	type TestBrowser
} from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';

const { baseUrl } = e2e();
const MOSUL: [number, number] = [43.13, 36.34];
let b: TestBrowser;
let analyst: string;
let viewer: string;

beforeAll(async () => {
	b = await openBrowser({ viewport: { width: 1400, height: 1000 } });
	await signIn(b.page, baseUrl, 'analyst');
	analyst = await sessionCookie('analyst');
	viewer = await sessionCookie('viewer');
});
afterAll(async () => {
	await b?.close();
});

/**
 * Where a longitude/latitude is on the screen, from the camera the page reports (data-center,
 * data-zoom on the map's box) with maplibre's web-mercator maths (512-px world at zoom 0).
 */
async function projector(box: Locator, canvas: Locator) {
	const [lon0, lat0] = (await box.getAttribute('data-center'))!.split(',').map(Number);
	const zoom = Number(await box.getAttribute('data-zoom'));
	const r = (await canvas.boundingBox())!;
	const world = 512 * 2 ** zoom;
	const x = (lon: number) => ((lon + 180) / 360) * world;
	const y = (lat: number) =>
		((1 - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / Math.PI) / 2) * world;
	return ([lon, lat]: [number, number]) => ({
		x: r.x + r.width / 2 + x(lon) - x(lon0),
		y: r.y + r.height / 2 + y(lat) - y(lat0)
	});
}

/** Magenta, the colour of the incidents a proximity query found. */
const isHighlight = ([r, g, bl]: number[]) => r > 160 && g < 70 && bl > 70 && bl < 170;

async function clickAt(page: Page, p: { x: number; y: number }) {
	await page.mouse.click(p.x, p.y);
	await page.waitForTimeout(150);
}

describe('the proximity screen', () => {
	const box = () => b.page.locator('[data-testid="proximity-map"]');
	const canvas = () => box().locator('.maplibregl-canvas');
	const hint = () => b.page.locator('[data-testid="draw-hint"]');
	const result = () => b.page.locator('[data-testid="proximity-result"]');
	let url = '';
	let total = 0;

	it('draws an area around Mosul by clicking the map and lists what the API finds for it, highlighted on the map', async () => {
		await b.page.goto(`${baseUrl}/analysis/proximity`, { waitUntil: 'networkidle' });
		await b.page.locator('#proximity-form select').first().selectOption('geometry');
		await b.page.locator('input[name="km"]').fill('5');
		await b.page.locator('input[name="days"]').fill('36600');
		// The as-of date is a DateField (day/month/year); Tab commits it without submitting.
		const asOf = b.page.locator('#proximity-form [data-testid="date-field"]');
		await asOf.fill('31/12/2018');
		await asOf.press('Tab');
		expect(await b.page.locator('#proximity-form input[name="as_of"]').inputValue()).toBe(
			'2018-12-31'
		);
		await waitUntilLoaded(b.page);
		// Pasting a point moves the map to it: a way to get near Mosul before drawing there.
		await b.page
			.locator('[data-testid="geometry-text"]')
			.fill(JSON.stringify({ type: 'Point', coordinates: MOSUL }));
		await expect
			.poll(async () => Number(await box().getAttribute('data-zoom')), { timeout: 20_000 })
			.toBeGreaterThan(9);
		await expect
			.poll(async () =>
				(await box().getAttribute('data-center'))!
					.split(',')
					.map((c) => Math.round(Number(c) * 10) / 10)
			)
			.toEqual([43.1, 36.3]);
		await b.page.locator('[data-testid="draw-clear"]').click();
		expect(await b.page.locator('[data-testid="geometry-text"]').inputValue()).toBe('');
		// The pasted point put the tool in point mode: draw an area now.
		await b.page.locator('[data-testid="draw-toolbar"] [data-mode="polygon"]').click();

		const at = await projector(box(), canvas());
		const [lon, lat] = MOSUL;
		const corners: [number, number][] = [
			[lon - 0.05, lat - 0.035],
			[lon + 0.05, lat - 0.035],
			[lon + 0.05, lat + 0.035],
			[lon - 0.05, lat + 0.035]
		];
		for (const c of corners.slice(0, 3)) await clickAt(b.page, at(c));
		expect(await hint().getAttribute('data-vertices')).toBe('3');
		// Undo takes the last corner back; it is clicked again.
		await b.page.locator('[data-testid="draw-undo"]').click();
		expect(await hint().getAttribute('data-vertices')).toBe('2');
		await clickAt(b.page, at(corners[2]));
		// A double-click adds the last corner and closes the area (and does not zoom).
		const zoomBefore = await box().getAttribute('data-zoom');
		await b.page.mouse.dblclick(at(corners[3]).x, at(corners[3]).y);
		await expect.poll(() => hint().getAttribute('data-done')).toBe('true');
		expect(await hint().getAttribute('data-vertices')).toBe('4');
		expect(await box().getAttribute('data-zoom')).toBe(zoomBefore);
		const drawn = JSON.parse(await b.page.locator('[data-testid="geometry-text"]').inputValue());
		expect(drawn.type).toBe('Polygon');
		expect(drawn.coordinates[0]).toHaveLength(5);
		drawn.coordinates[0].slice(0, 4).forEach((p: [number, number], i: number) => {
			expect(p[0]).toBeCloseTo(corners[i][0], 2);
			expect(p[1]).toBeCloseTo(corners[i][1], 2);
		});
		await screenshot(b.page, 'draw-proximity-drawn');

		await b.page.locator('#proximity-form button[type="submit"]').click();
		await result().waitFor();
		url = b.page.url();
		const q = new URL(url).searchParams;
		expect(JSON.parse(q.get('geometry')!)).toEqual(drawn);
		expect([q.get('km'), q.get('days'), q.get('as_of')]).toEqual(['5', '36600', '2018-12-31']);
		total = Number(await result().getAttribute('data-total'));
		const listed = Number(await result().getAttribute('data-listed'));
		const api = await http(
			`/api/v1/proximity?${new URLSearchParams({ geometry: q.get('geometry')!, km: '5', days: '36600', as_of: '2018-12-31' })}`,
			{ cookie: analyst }
		);
		expect(api.status).toBe(200);
		const body = (await api.json()) as { total: number; incidents: { id: string }[] };
		expect(total).toBe(body.total);
		expect(listed).toBe(body.incidents.length);
		expect(await result().locator('tbody tr').count()).toBe(body.incidents.length);
		expect(total).toBeGreaterThan(100); // Mosul has hundreds of incidents in the demo data
		// The incidents found are drawn in the highlight colour.
		await waitUntilLoaded(b.page);
		await waitForPixels(canvas(), (img) => img.count(isHighlight) > 30, {
			name: 'draw-proximity-highlight'
		});
		await screenshot(b.page, 'draw-proximity-result');
	});

	it('flies to an incident clicked in the list', async () => {
		const row = result().locator('tbody tr').nth(3);
		const id = (await row.getAttribute('data-incident'))!;
		const api = await http(`/api/v1/incidents/${id}`, { cookie: analyst });
		const inc = (await api.json()) as { lon: number; lat: number };
		await b.page.locator('[data-testid="proximity-map"]').evaluate((el) => el.scrollIntoView());
		await b.page.mouse.move(1, 1);
		await row.locator('button').click();
		expect(await box().getAttribute('data-focused')).toBe(id);
		await expect
			.poll(async () => (await box().getAttribute('data-center'))!.split(',').map(Number), {
				timeout: 20_000
			})
			.toSatisfy(
				(c: number[]) => Math.abs(c[0] - inc.lon) < 0.002 && Math.abs(c[1] - inc.lat) < 0.002
			);
	});

	it('reproduces the result and the drawing from the URL after a reload', async () => {
		await b.page.goto(url, { waitUntil: 'networkidle' });
		await b.page.reload({ waitUntil: 'networkidle' });
		expect(Number(await result().getAttribute('data-total'))).toBe(total);
		expect(await hint().getAttribute('data-vertices')).toBe('4');
		expect(await hint().getAttribute('data-done')).toBe('true');
		await waitUntilLoaded(b.page);
		await waitForPixels(canvas(), (img) => img.count(isHighlight) > 30, {
			name: 'draw-proximity-reload'
		});
	});

	it('refuses a self-intersecting area with a clear message and sends no query', async () => {
		await b.page.locator('[data-testid="draw-clear"]').click();
		await expect.poll(async () => Number(await box().getAttribute('data-zoom'))).toBeGreaterThan(8);
		const at = await projector(box(), canvas());
		const [lon, lat] = MOSUL;
		// a bow tie: the second edge crosses the fourth
		for (const c of [
			[lon - 0.03, lat - 0.02],
			[lon + 0.03, lat + 0.02],
			[lon + 0.03, lat - 0.02],
			[lon - 0.03, lat + 0.02]
		] as [number, number][])
			await clickAt(b.page, at(c));
		await b.page.locator('[data-testid="draw-finish"]').click();
		const asked: string[] = [];
		const watch = (r: { url(): string }) => asked.push(r.url());
		b.page.on('request', watch);
		await b.page.locator('#proximity-form button[type="submit"]').click();
		const error = b.page.locator('[data-testid="draw-error"]');
		await error.waitFor();
		expect(await error.getAttribute('data-reason')).toBe('self_intersecting');
		expect(await error.innerText()).toMatch(/crosses itself/);
		await b.page.waitForTimeout(1000);
		b.page.off('request', watch);
		expect(
			asked.filter((u) => u.includes('/analysis/proximity') || u.includes('/api/v1/proximity'))
		).toEqual([]);
		expect(b.page.url()).toBe(url);
		await screenshot(b.page, 'draw-proximity-refused');
		// Undo the last corner: three corners make a valid triangle and the message goes.
		await b.page.locator('[data-testid="draw-undo"]').click();
		await b.page.locator('[data-testid="draw-undo"]').click();
		await expect.poll(() => error.count()).toBe(0);
	});

	it('looks right in Arabic', async () => {
		const ar = await openBrowser({ viewport: { width: 1400, height: 1000 }, locale: 'ar' });
		try {
			await signIn(ar.page, baseUrl, 'analyst');
			await ar.page.goto(url, { waitUntil: 'networkidle' });
			expect(await ar.page.locator('html').getAttribute('dir')).toBe('rtl');
			expect(await ar.page.locator('[data-testid="draw-undo"]').innerText()).toBe('تراجع');
			await waitUntilLoaded(ar.page);
			await waitForPixels(
				ar.page.locator('[data-testid="proximity-map"] .maplibregl-canvas'),
				(img) => img.count(isHighlight) > 30,
				{ name: 'draw-proximity-ar' }
			);
			await screenshot(ar.page, 'draw-proximity-ar');
		} finally {
			await ar.close();
		}
	});
});

describe('drawing where an actor is present', () => {
	let actorId = '';
	const LABEL = 'E2E grazing land';
	const presenceOf = async (cookie = analyst) =>
		(
			(await (await http(`/api/v1/actors/${actorId}`, { cookie })).json()) as {
				presence: { id: string; drawn: boolean; label: string }[];
			}
		).presence;
	/** Okabe–Ito orange, the outline of presence areas. */
	const isPresence = ([r, g, bl]: number[]) => r > 200 && g > 130 && g < 190 && bl < 70;

	it('lets an analyst draw a presence polygon, save it and find it listed and drawn after a reload', async () => {
		const made = await http('/api/v1/actors', {
			method: 'POST',
			cookie: analyst,
			body: { name: `E2E drawn presence ${Date.now()}` }
		});
		expect(made.status).toBe(201);
		actorId = ((await made.json()) as { id: string }).id;

		await b.page.goto(`${baseUrl}/actors/${actorId}`, { waitUntil: 'networkidle' });
		const editor = b.page.locator('[data-testid="presence-editor"]');
		await editor.locator('[data-testid="presence-draw"]').check();
		await b.page.locator('[data-testid="draw-toolbar"]').waitFor();
		await waitUntilLoaded(b.page);
		const canvas = b.page.locator('[data-testid="presence-map"] .maplibregl-canvas');
		await canvas.scrollIntoViewIfNeeded();
		const r = (await canvas.boundingBox())!;
		const cx = r.x + r.width / 2;
		const cy = r.y + r.height / 2;
		for (const [dx, dy] of [
			[-50, -40],
			[50, -40],
			[50, 40],
			[-50, 40]
		])
			await clickAt(b.page, { x: cx + dx, y: cy + dy });
		// Enter finishes while the map has focus.
		await canvas.focus();
		await b.page.keyboard.press('Enter');
		await expect
			.poll(() => b.page.locator('[data-testid="draw-hint"]').getAttribute('data-done'))
			.toBe('true');
		await b.page.locator('#p-label').fill(LABEL);
		await b.page.locator('#p-from').fill('2016-01-01');
		await b.page.locator('[data-testid="presence-save"]').click();
		await editor.locator('li[data-drawn="true"]', { hasText: LABEL }).waitFor();

		const saved = await presenceOf();
		expect(saved).toHaveLength(1);
		expect(saved[0]).toMatchObject({ drawn: true, label: LABEL, valid_from: '2016-01-01' });

		await b.page.reload({ waitUntil: 'networkidle' });
		await editor.locator('li[data-drawn="true"]', { hasText: LABEL }).waitFor();
		expect(await b.page.locator('[data-testid="presence-map"]').getAttribute('data-features')).toBe(
			'1'
		);
		await waitUntilLoaded(b.page);
		await b.page.locator('[data-testid="presence-map"]').scrollIntoViewIfNeeded();
		await waitForPixels(
			b.page.locator('[data-testid="presence-map"] .maplibregl-canvas'),
			(img) => img.count(isPresence) > 100,
			{ name: 'draw-presence' }
		);
		await screenshot(editor, 'draw-presence-en');
	});

	it('shows a viewer the presence but no editing controls, and refuses their post', async () => {
		const v = await openBrowser({ locale: 'ar' });
		try {
			await signIn(v.page, baseUrl, 'viewer');
			await v.page.goto(`${baseUrl}/actors/${actorId}`, { waitUntil: 'networkidle' });
			const editor = v.page.locator('[data-testid="presence-editor"]');
			await editor.locator('li[data-drawn="true"]', { hasText: LABEL }).waitFor();
			expect(await v.page.locator('form[action="?/addPresence"]').count()).toBe(0);
			expect(await v.page.locator('form[action="?/removePresence"]').count()).toBe(0);
			expect(
				await v.page.locator('[data-testid="presence-draw"], [data-testid="draw-toolbar"]').count()
			).toBe(0);
			await waitUntilLoaded(v.page);
			await waitForPixels(
				v.page.locator('[data-testid="presence-map"] .maplibregl-canvas'),
				(img) => img.count(isPresence) > 100,
				{ name: 'draw-presence-viewer' }
			);
			await screenshot(editor, 'draw-presence-viewer-ar');
		} finally {
			await v.close();
		}
		const square = {
			type: 'Polygon',
			coordinates: [
				[
					[43, 36],
					[43.1, 36],
					[43.1, 36.1],
					[43, 36.1],
					[43, 36]
				]
			]
		};
		const post = await http(`/actors/${actorId}?/addPresence`, {
			method: 'POST',
			cookie: viewer,
			body: new URLSearchParams({ geometry: JSON.stringify(square), label: 'viewer try' }),
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'application/json',
				'x-sveltekit-action': 'true'
			}
		});
		const answer = (await post.json()) as { type: string; status: number };
		expect(answer).toMatchObject({ type: 'failure', status: 403 });
		expect(await presenceOf(viewer)).toHaveLength(1);
	});

	it('shows the editor in Arabic, and lets the analyst remove the presence', async () => {
		const ar = await openBrowser({ locale: 'ar' });
		try {
			await signIn(ar.page, baseUrl, 'analyst');
			await ar.page.goto(`${baseUrl}/actors/${actorId}`, { waitUntil: 'networkidle' });
			const editor = ar.page.locator('[data-testid="presence-editor"]');
			await editor.locator('[data-testid="presence-draw"]').check();
			await waitUntilLoaded(ar.page);
			await screenshot(editor, 'draw-presence-ar');
			await editor.locator('form[action="?/removePresence"] button').click();
			await editor.locator('li[data-drawn="true"]').waitFor({ state: 'detached' });
		} finally {
			await ar.close();
		}
		expect(await presenceOf()).toHaveLength(0);
	});
});
