/**
 * Issue 11, point 8 in Chromium: a contingency plan's drawn routes and the nearest safe site along
 * them. An analyst opens the Dohuk base's relocation plan (its sites placed through the API: a
 * hibernation house in the hills north-west of the town) and fills the route form top to bottom as
 * a person would: the name, the site it leads to, a GPX track from a file (a polygon file first:
 * refused, the file named); saves; the route is listed and read back through the API field by field.
 * Saving with no line is refused naming `route`. Editing the plan on the page keeps the sites'
 * positions. A viewer gets 403 from the routes' API. Then the
 * nearest-site finder, from a point by the base, shows for the house both the straight line and
 * the way along the route (as the API answers), at 1280 and 390 px, in English and Arabic.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hydrated, openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, sessionCookie, tempDir } from './helpers/server.ts';

const arabic = async (b: TestBrowser, baseUrl: string) =>
	b.context.addCookies([{ name: 'terrain_lang', value: 'ar', url: baseUrl }]);
const km = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

// a track from by the Dohuk base up to the house (GPX as a phone exports it)
const TRACK: [number, number][] = [
	[42.9705, 36.8605],
	[42.955, 36.885],
	[42.93, 36.91],
	[42.9005, 36.9505]
];
const GPX = `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="e2e" xmlns="http://www.topografix.com/GPX/1/1">
  <trk><name>Hill road</name><trkseg>
${TRACK.map(([lon, lat]) => `    <trkpt lat="${lat}" lon="${lon}"></trkpt>`).join('\n')}
  </trkseg></trk>
</gpx>`;
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
						[42.9, 36.9],
						[42.91, 36.9],
						[42.91, 36.91],
						[42.9, 36.9]
					]
				]
			}
		}
	]
};
const HOUSE = {
	name: 'Hill house',
	role: 'hibernation_site',
	lon: 42.9,
	lat: 36.951,
	capacity: 12
};

describe('contingency plan routes in the browser', () => {
	const open: TestBrowser[] = [];
	let planId = '';
	afterAll(async () => {
		// leave no route behind for the other tests' nearest-site answers
		const admin = await sessionCookie('admin');
		if (planId) {
			const rs = (await (
				await http(`/api/v1/contingency/${planId}/routes`, { cookie: admin })
			).json()) as { id: string }[];
			for (const r of rs)
				await http(`/api/v1/contingency/${planId}/routes/${r.id}`, {
					cookie: admin,
					method: 'DELETE'
				});
		}
		for (const b of open) await b.close();
	});

	it('adds a route from a GPX file and finds the site along it', async () => {
		const { baseUrl } = e2e();
		const analyst = await sessionCookie('analyst');
		const bases = (await (await http('/api/v1/contingency', { cookie: analyst })).json()) as {
			base_site_id: string;
			base_name: string;
		}[];
		const base = bases.find((b) => b.base_name === 'Dohuk base')!;
		const saved = await http('/api/v1/contingency', {
			cookie: analyst,
			method: 'POST',
			body: {
				base_site_id: base.base_site_id,
				kind: 'relocation',
				sites: [HOUSE],
				note: 'routes e2e: the house placed'
			}
		});
		expect(saved.status, await saved.clone().text()).toBe(201);
		planId = ((await saved.json()) as { id: string }).id;

		const an = await openBrowser({ viewport: { width: 1280, height: 900 } });
		open.push(an);
		const p = an.page;
		await signIn(p, baseUrl, 'analyst');
		await p.goto(`${baseUrl}/contingency/${base.base_site_id}/relocation`);
		const box = p.getByTestId('plan-routes');
		await box.waitFor();
		// A file chosen before the script runs fires no change handler (a person waits for the page).
		await hydrated(p);
		expect(await box.textContent()).toContain('No drawn route yet.');

		// top to bottom: name, where it leads, the file (a polygon first: refused, the file named)
		await box.getByLabel('Route name').fill('Hill road');
		await box.getByLabel('Leads to').selectOption('Hill house');
		const bad = join(tempDir(), 'field.geojson');
		writeFileSync(bad, JSON.stringify(POLYGON));
		await box.getByTestId('route-file').setInputFiles(bad);
		await expect
			.poll(() => box.getByTestId('route-file-error').textContent())
			.toMatch(/field\.geojson: no line to use as a route/);
		// saving now, with no line, is refused naming the field; nothing is added
		await box.getByTestId('route-save').click();
		await expect.poll(() => box.getByTestId('route-error').textContent()).toMatch(/^\s*route:/);
		expect(await box.locator('[data-route]').count()).toBe(0);
		await box.getByLabel('Route name').fill('Hill road');
		await box.getByLabel('Leads to').selectOption('Hill house');
		const file = join(tempDir(), 'hill-road.gpx');
		writeFileSync(file, GPX);
		await box.getByTestId('route-file').setInputFiles(file);
		await expect
			.poll(() => box.getByTestId('route-file-note').textContent())
			.toContain('hill-road.gpx');
		await box.getByTestId('route-save').click();
		await expect.poll(() => box.getByTestId('route-saved').count()).toBe(1);
		const item = box.locator('[data-route]');
		await expect.poll(() => item.count()).toBe(1);
		expect(await item.textContent()).toContain('Hill road');
		expect(await item.textContent()).toContain('Hill house');
		expect(await item.textContent()).toContain('hill-road.gpx');
		await screenshot(p, 'contingency-routes-1280-en');

		// read back through the API, field by field
		const got = (await (
			await http(`/api/v1/contingency/${planId}/routes`, { cookie: analyst })
		).json()) as Record<string, unknown>[];
		expect(got).toHaveLength(1);
		const r = got[0] as {
			name: string;
			to_site: string;
			source: string;
			plan_id: string;
			length_km: number;
			route: { type: string; coordinates: number[][] };
			created_by_name: string;
		};
		expect(r.name).toBe('Hill road');
		expect(r.to_site).toBe('Hill house');
		expect(r.source).toBe('hill-road.gpx');
		expect(r.plan_id).toBe(planId);
		expect(r.route.type).toBe('LineString');
		expect(r.route.coordinates).toEqual(TRACK);
		expect(r.length_km).toBeGreaterThan(11.5);
		expect(r.length_km).toBeLessThan(12.2);
		expect(r.created_by_name).toBeTruthy();
		// an edit of the plan through the page keeps the sites' positions (it used to drop them)
		await p.getByTestId('plan-edit').click();
		await p.getByTestId('plan-note').fill('routes e2e: edited on the page');
		await p.getByTestId('plan-save').click();
		await p.getByTestId('plan-saved').waitFor();
		const plan = (await (
			await http(`/api/v1/contingency/${planId}`, { cookie: analyst })
		).json()) as { sites: { name: string; lon: number | null; lat: number | null }[] };
		expect(plan.sites).toEqual([
			expect.objectContaining({ name: HOUSE.name, lon: HOUSE.lon, lat: HOUSE.lat })
		]);
		// need-to-know: a viewer gets nothing
		const v = await http(`/api/v1/contingency/${planId}/routes`, {
			cookie: await sessionCookie('viewer')
		});
		expect(v.status).toBe(403);

		// the nearest-site finder: straight line and along the route, as the API answers
		const q = 'lat=36.858&lon=42.975&role=hibernation_site';
		const api = (await (
			await http(`/api/v1/contingency/nearest?${q}`, { cookie: analyst })
		).json()) as {
			name: string;
			distance_km: number;
			route: { name: string; total_km: number } | null;
		}[];
		const house = api.find((s) => s.name === 'Hill house')!;
		expect(house.route?.name).toBe('Hill road');
		expect(house.route!.total_km).toBeGreaterThan(house.distance_km);
		await p.goto(`${baseUrl}/contingency?${q}`);
		const near = p.getByTestId('nearest-site');
		await expect.poll(() => near.count()).toBe(api.length);
		const row = near.filter({ hasText: 'Hill house' });
		expect(await row.textContent()).toContain(
			`${km.format(house.distance_km)} km in a straight line`
		);
		expect(await row.getByTestId('nearest-route').textContent()).toContain(
			`${km.format(house.route!.total_km)} km along “Hill road”`
		);
		expect(await row.textContent()).toContain('Nearest along a route');
		await screenshot(p, 'contingency-nearest-route-1280-en');

		// the phone, and Arabic
		const ph = await openBrowser({ viewport: { width: 390, height: 844 } });
		open.push(ph);
		await signIn(ph.page, baseUrl, 'analyst');
		await ph.page.goto(`${baseUrl}/contingency?${q}`);
		await expect.poll(() => ph.page.getByTestId('nearest-route').count()).toBe(1);
		await screenshot(ph.page, 'contingency-nearest-route-390-en');
		await ph.page.goto(`${baseUrl}/contingency/${base.base_site_id}/relocation`);
		await ph.page.getByTestId('plan-routes').waitFor();
		await screenshot(ph.page, 'contingency-routes-390-en');
		await arabic(ph, baseUrl);
		await ph.page.reload();
		await ph.page.getByTestId('plan-routes').waitFor();
		await screenshot(ph.page, 'contingency-routes-390-ar');
		await ph.page.goto(`${baseUrl}/contingency?${q}`);
		await expect
			.poll(() => ph.page.getByTestId('nearest-route').textContent())
			.toContain('«Hill road»');
		await screenshot(ph.page, 'contingency-nearest-route-390-ar');
		await arabic(an, baseUrl);
		await p.reload();
		await expect.poll(() => p.getByTestId('nearest-route').count()).toBe(1);
		await screenshot(p, 'contingency-nearest-route-1280-ar');
		await p.goto(`${baseUrl}/contingency/${base.base_site_id}/relocation`);
		await p.getByTestId('plan-routes').waitFor();
		await screenshot(p, 'contingency-routes-1280-ar');
	});
});
