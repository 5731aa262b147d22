// The site symbols (our sites, checkpoints, health facilities, camps) are drawn by maplibre, and
// deck.gl (some 220 kB on the wire) is loaded only once a layer has something to draw with it
// (issue 14's first map on a field link). A map of sites alone never downloads deck.gl, and its
// symbols still answer a hover and a click; beside incident points drawn by deck.gl, a site stays
// on top and is what a click on it selects. Screenshots: test-results/e2e/map-sites-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';

const { baseUrl } = e2e();
const today = new Date().toISOString().slice(0, 10);
let b: TestBrowser;
let site: { id: string; name: string; lon: number; lat: number };
const deckChunks: string[] = [];

const map = () => b.page.locator('[data-testid="map"]');
const settled = () =>
	b.page.locator('[data-testid="map"][data-loading="false"]').waitFor({ timeout: 120_000 });

/** The middle of the map canvas, in page pixels: where the view's centre is drawn. */
async function centre() {
	const box = (await b.page.locator('.maplibregl-canvas').boundingBox())!;
	return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Moves the pointer onto the middle of the map (where the view's centre is drawn). */
async function hoverTheCentre() {
	const c = await centre();
	await b.page.mouse.move(c.x, c.y);
	await b.page.mouse.move(c.x + 1, c.y);
	return c;
}

beforeAll(async () => {
	const analyst = await sessionCookie('analyst');
	const sites = await (await http('/api/v1/sites/org_sites', { cookie: analyst })).json();
	const f = sites.features.find(
		(x: { properties: { site_type: string } }) => x.properties.site_type === 'base'
	);
	expect(f, 'the demo has a base').toBeTruthy();
	site = {
		id: String(f.properties.id ?? f.id),
		name: String(f.properties.name),
		lon: f.geometry.coordinates[0],
		lat: f.geometry.coordinates[1]
	};
	// An incident on the very spot of the base, for the site-above-points check.
	const made = await http('/api/v1/incidents/report', {
		cookie: await sessionCookie('admin'),
		method: 'POST',
		body: {
			event_date: today,
			event_type: 'battles',
			lon: site.lon,
			lat: site.lat,
			fatalities: 3,
			notes: 'At the gate of the base (map-sites e2e)'
		}
	});
	expect(made.status, await made.clone().text()).toBe(201);
	b = await openBrowser();
	await signIn(b.page, baseUrl, 'analyst');
	// deck.gl's own code: its module names are hashed, but its WebGL layer (luma.gl) names itself.
	b.page.on('response', async (r) => {
		if (!/\/_app\/immutable\/chunks\/.*\.js$/.test(r.url())) return;
		const body = await r.text().catch(() => '');
		if (body.includes('luma.gl')) deckChunks.push(r.url());
	});
}, 180_000);

afterAll(async () => {
	await b?.close();
});

describe('site symbols drawn by maplibre, deck.gl only when needed', () => {
	it('a map of sites alone downloads no deck.gl; hovering the base names it, a click selects it', async () => {
		await b.page.goto(
			`${baseUrl}/map?layers=org_sites&z=13&c=${site.lon.toFixed(5)},${site.lat.toFixed(5)}`
		);
		await settled();
		expect(await map().getAttribute('data-deck')).toBe('none');
		expect(deckChunks).toEqual([]);
		const c = await hoverTheCentre();
		await expect
			.poll(() => b.page.locator('.map-wrap .tooltip').textContent(), { timeout: 20_000 })
			.toContain(site.name);
		await screenshot(b.page, 'map-sites-hover');
		expect(deckChunks).toEqual([]);
		// The selection's halo is drawn by deck.gl: the click may load it, and nothing is waited for.
		await b.page.mouse.click(c.x, c.y);
		await b.page
			.locator('[data-testid="details-panel"][data-kind="org_sites"]')
			.waitFor({ timeout: 30_000 });
		await expect
			.poll(() => new URL(b.page.url()).searchParams.get('sel'))
			.toBe(`org_sites:${site.id}`);
	});

	it('beside incident points (deck.gl, loaded for them) the base stays on top and a click selects it', async () => {
		await b.page.goto(
			`${baseUrl}/map?layers=incidents,org_sites&from=${today}&to=${today}&z=13&c=${site.lon.toFixed(5)},${site.lat.toFixed(5)}`
		);
		await settled();
		await expect.poll(() => map().getAttribute('data-deck'), { timeout: 30_000 }).toBe('loaded');
		expect(deckChunks.length).toBeGreaterThan(0);
		const c = await hoverTheCentre();
		await expect
			.poll(() => b.page.locator('.map-wrap .tooltip').textContent(), { timeout: 20_000 })
			.toContain(site.name);
		await b.page.mouse.click(c.x, c.y);
		await expect
			.poll(() => new URL(b.page.url()).searchParams.get('sel'), { timeout: 30_000 })
			.toBe(`org_sites:${site.id}`);
		await screenshot(b.page, 'map-sites-above-points');
	});
});
