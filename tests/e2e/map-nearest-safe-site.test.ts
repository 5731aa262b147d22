/**
 * Issue 11, point 8, from the map: "From any point on the map, the user finds the nearest
 * hibernation site or assembly point". An analyst clicks an incident on /map, follows "Nearest safe
 * site from here" in its details and lands on the finder with the incident's point, which lists the
 * Dohuk evacuation plan's shelter placed beside it first, as the API answers; the same from a site's
 * details. On a phone in Arabic the same click-through works. A viewer, who may not read
 * contingency plans, gets no such link.
 */
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
import { EVENT_TYPE_COLOURS } from '../../src/lib/domain/taxonomy.ts';

const today = new Date().toISOString().slice(0, 10);
// a clash in the hills north of Dohuk, and a shelter of the base's evacuation plan 800 m from it
const AT: [number, number] = [42.62, 37.12];
const SHELTER = {
	name: 'Map-linked shelter',
	role: 'hibernation_site',
	lon: 42.628,
	lat: 37.124,
	capacity: 25
};
const MAP = `/map?layers=incidents,org_sites&from=${today}&to=${today}&z=11&c=${AT.join(',')}`;
const km = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

// an incident's colour over the basemap's land (drawn at alpha 200/255, as map.test.ts measures)
const IRAQ_FILL = [251, 250, 248];
const BATTLE = EVENT_TYPE_COLOURS.battles.map(
	(v, i) => v * (200 / 255) + IRAQ_FILL[i] * (1 - 200 / 255)
);
const near = (p: Rgba, c: number[], tol = 30) =>
	Math.abs(p[0] - c[0]) <= tol && Math.abs(p[1] - c[1]) <= tol && Math.abs(p[2] - c[2]) <= tol;

describe('from the map to the nearest safe site', () => {
	const open: TestBrowser[] = [];
	let incidentId = '';
	let baseId = '';
	let api: { name: string; distance_km: number }[] = [];

	beforeAll(async () => {
		const analyst = await sessionCookie('analyst');
		const bases = (await (await http('/api/v1/contingency', { cookie: analyst })).json()) as {
			base_site_id: string;
			base_name: string;
		}[];
		baseId = bases.find((b) => b.base_name === 'Dohuk base')!.base_site_id;
		const saved = await http('/api/v1/contingency', {
			cookie: analyst,
			method: 'POST',
			body: { base_site_id: baseId, kind: 'evacuation', sites: [SHELTER], note: 'map link e2e' }
		});
		expect(saved.status, await saved.clone().text()).toBe(201);
		const made = await http('/api/v1/incidents/report', {
			cookie: await sessionCookie('admin'),
			method: 'POST',
			body: {
				event_date: today,
				event_type: 'battles',
				lon: AT[0],
				lat: AT[1],
				fatalities: 0,
				notes: 'Clash in the hills (map link e2e)'
			}
		});
		expect(made.status, await made.clone().text()).toBe(201);
		incidentId = (await made.json()).incident.id as string;
		api = (await (
			await http(`/api/v1/contingency/nearest?lat=${AT[1].toFixed(5)}&lon=${AT[0].toFixed(5)}`, {
				cookie: analyst
			})
		).json()) as typeof api;
		expect(api[0].name).toBe(SHELTER.name);
	});
	afterAll(async () => {
		for (const b of open) await b.close();
	});

	/** Opens the map on the clash and clicks it where it is drawn, in the middle of the map. */
	async function clickTheClash(b: TestBrowser) {
		const { baseUrl } = e2e();
		await b.page.goto(`${baseUrl}${MAP}`);
		await b.page.locator('[data-testid="map"][data-loading="false"]').waitFor({ timeout: 120_000 });
		const canvas = b.page.locator('.maplibregl-canvas');
		const img = await waitForPixels(
			canvas,
			(i) => {
				const [cx, cy] = [Math.round(i.width / 2), Math.round(i.height / 2)];
				return near(i.at(cx, cy), BATTLE);
			},
			{ name: 'map-nearest-clash' }
		);
		const box = (await canvas.boundingBox())!;
		const scale = img.width / box.width;
		await b.page.mouse.click(box.x + img.width / 2 / scale, box.y + img.height / 2 / scale);
		const panel = b.page.locator('[data-testid="details-panel"][data-kind="incident"]');
		await panel.waitFor({ timeout: 30_000 });
		await expect
			.poll(() => new URL(b.page.url()).searchParams.get('sel'))
			.toBe(`incident:${incidentId}`);
		return panel;
	}

	/** The finder lists what the API answers for the point, the shelter first. */
	async function finderLists(b: TestBrowser) {
		await expect.poll(() => new URL(b.page.url()).pathname).toBe('/contingency');
		const u = new URL(b.page.url());
		expect(Number(u.searchParams.get('lat'))).toBeCloseTo(AT[1], 5);
		expect(Number(u.searchParams.get('lon'))).toBeCloseTo(AT[0], 5);
		const items = b.page.getByTestId('nearest-site');
		await expect.poll(() => items.count(), { timeout: 30_000 }).toBe(api.length);
		expect(await items.first().textContent()).toContain(SHELTER.name);
		return items;
	}

	it('an analyst clicks an incident and follows the link to the finder (1280, English)', async () => {
		const { baseUrl } = e2e();
		const b = await openBrowser({ viewport: { width: 1280, height: 800 } });
		open.push(b);
		await signIn(b.page, baseUrl, 'analyst');
		const panel = await clickTheClash(b);
		const link = panel.getByTestId('nearest-safe-link');
		await link.waitFor();
		expect(await link.textContent()).toBe('Nearest safe site from here');
		expect(await link.getAttribute('href')).toBe(
			`/contingency?lat=${AT[1].toFixed(5)}&lon=${AT[0].toFixed(5)}`
		);
		await screenshot(b.page, 'map-nearest-link-1280-en');
		await link.click();
		const items = await finderLists(b);
		expect(await items.first().getByTestId('nearest-straight').textContent()).toBe(
			`${km.format(api[0].distance_km)} km in a straight line`
		);
		await screenshot(b.page, 'map-nearest-finder-1280-en');

		// a site's details carry the link too, from the site's own position
		await b.page.goto(`${baseUrl}${MAP}&sel=org_sites:${baseId}`);
		const site = b.page.locator('[data-testid="details-panel"][data-kind="org_sites"]');
		await site.getByTestId('nearest-safe-link').waitFor({ timeout: 30_000 });
		expect(await site.getByTestId('nearest-safe-link').getAttribute('href')).toMatch(
			/^\/contingency\?lat=\d+\.\d{5}&lon=\d+\.\d{5}$/
		);
	});

	it('the same on a phone in Arabic (390 px)', async () => {
		const { baseUrl } = e2e();
		const b = await openBrowser({ viewport: { width: 390, height: 844 } });
		open.push(b);
		await b.context.addCookies([{ name: 'terrain_lang', value: 'ar', url: baseUrl }]);
		await signIn(b.page, baseUrl, 'analyst');
		const panel = await clickTheClash(b);
		const link = panel.getByTestId('nearest-safe-link');
		await link.waitFor();
		expect(await link.textContent()).toBe('أقرب موقع آمن من هنا');
		await screenshot(b.page, 'map-nearest-link-390-ar');
		await link.click();
		await finderLists(b);
		await screenshot(b.page, 'map-nearest-finder-390-ar');
	});

	it('gives a viewer, who may not read contingency plans, no link', async () => {
		const { baseUrl } = e2e();
		const b = await openBrowser({ viewport: { width: 1280, height: 800 } });
		open.push(b);
		await signIn(b.page, baseUrl, 'viewer');
		await b.page.goto(`${baseUrl}${MAP}&sel=org_sites:${baseId}`);
		const site = b.page.locator('[data-testid="details-panel"][data-kind="org_sites"]');
		await site.locator('h3').waitFor({ timeout: 30_000 });
		expect(await site.textContent()).toContain('Dohuk base');
		expect(await site.getByTestId('nearest-safe-link').count()).toBe(0);
		expect(
			(
				await http(`/api/v1/contingency/nearest?lat=${AT[1]}&lon=${AT[0]}`, {
					cookie: await sessionCookie('viewer')
				})
			).status
		).toBe(403);
	});
});
