// The map's actor and area layers in Chromium against the real server: a relationship an analyst
// maps through the UI is drawn as an arc between the two actors' HQs (pixels of its kind's colour
// where the arc runs) and named on hover and click; a security level recorded for a district fills
// it in that level's colour; the baseline flags colour districts and the legend counts what the
// API counts. Each layer is also looked at in English and Arabic (screenshots in test-results/e2e).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	hydrated,
	openBrowser,
	screenshot,
	signIn,
	waitForPixels,
	type Pixels,
	type Rgba,
	type TestBrowser
} from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';
import { KIND_COLOURS, STANCE_COLOURS } from '../../src/lib/domain/actors.ts';
import { levelInfo } from '../../src/lib/domain/analysis-levels.ts';
import {
	ARC_ALPHA,
	BASELINE_COLOURS,
	BASELINE_FILL_ALPHA,
	hexToRgb,
	LEVEL_FILL_ALPHA,
	PRESENCE_LINE_ALPHA
} from '../../src/lib/map/layers/styles.ts';

const { baseUrl } = e2e();
const STAMP = Date.now();
const WEST = { name: `Rutba elders ${STAMP}`, lon: 41.5, lat: 34.0 };
const SOUTH = { name: `Samawa traders ${STAMP}`, lon: 44.0, lat: 31.0 };
const DISTRICT = 'IQG01Q04'; // Al-Rutba: a large desert district, no town under its middle
const LEVEL = 5;

let b: TestBrowser;
let cookie: string;

beforeAll(async () => {
	b = await openBrowser({ viewport: { width: 1280, height: 800 } });
	await signIn(b.page, baseUrl, 'analyst');
	cookie = await sessionCookie('analyst');
});
afterAll(async () => {
	await b?.close();
});

// ---- Pixels --------------------------------------------------------------------------------
// Layers are translucent over Iraq's near-white land.
const IRAQ_FILL = [251, 250, 248];
const blend = (c: readonly number[], alpha255: number) =>
	c.map((v, i) => v * (alpha255 / 255) + IRAQ_FILL[i] * (1 - alpha255 / 255));
const near = (p: Rgba, c: number[], tol = 26) =>
	Math.abs(p[0] - c[0]) <= tol && Math.abs(p[1] - c[1]) <= tol && Math.abs(p[2] - c[2]) <= tol;
/** Pixels of colour `c` in the box of half-size `r` around (x, y). */
const around = (img: Pixels, x: number, y: number, r: number, c: number[], tol?: number) =>
	img.count((p, px, py) => Math.abs(px - x) <= r && Math.abs(py - y) <= r && near(p, c, tol));

const canvas = () => b.page.locator('.maplibregl-canvas');
const settled = () =>
	b.page.locator('[data-testid="map"][data-loading="false"]').waitFor({ timeout: 120_000 });
const param = (name: string) => new URL(b.page.url()).searchParams.get(name);

/** The latitude halfway between two on a Web Mercator map (where a straight arc's middle is). */
function mercatorMidLat(a: number, c: number): number {
	const y = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
	return ((2 * Math.atan(Math.exp((y(a) + y(c)) / 2)) - Math.PI / 2) * 180) / Math.PI;
}

async function canvasCentre() {
	const box = (await canvas().boundingBox())!;
	return {
		x: Math.round(box.width / 2),
		y: Math.round(box.height / 2),
		pageX: box.x + box.width / 2,
		pageY: box.y + box.height / 2
	};
}

async function addActor(
	a: { name: string; lon: number; lat: number },
	stance: string
): Promise<string> {
	await b.page.goto(`${baseUrl}/actors`);
	await hydrated(b.page);
	await b.page.locator('#a-name').fill(a.name);
	await b.page.locator('#a-type').selectOption('community_leader');
	await b.page.locator('#a-stance').selectOption(stance);
	await b.page.locator('#a-hq-lon').fill(String(a.lon));
	await b.page.locator('#a-hq-lat').fill(String(a.lat));
	await Promise.all([
		b.page.waitForURL(/\/actors\/[0-9a-f-]{36}/),
		b.page.getByRole('button', { name: 'Save' }).last().click()
	]);
	return b.page.url().match(/\/actors\/([0-9a-f-]{36})/)![1];
}

describe('relationship arcs and presence on the map', () => {
	let westId: string;
	let southId: string;

	it('an analyst maps a relationship and sees it in the graph AND on the map', async () => {
		westId = await addActor(WEST, 'supportive');
		southId = await addActor(SOUTH, 'hostile');

		// On the west actor's page: a negotiation channel (undirected) with the south actor.
		await b.page.goto(`${baseUrl}/actors/${westId}`);
		await hydrated(b.page);
		await b.page.locator('#r-kind').selectOption('negotiation_channel');
		await b.page.locator('#r-other').selectOption({ label: SOUTH.name });
		await b.page.locator('#r-from').fill('2016-01-01');
		await b.page.locator('.rel-form button').click();
		await b.page.getByText('Relationship saved.').waitFor();

		// The network view shows the two, linked.
		await b.page.goto(`${baseUrl}/network?focus=${westId}&hops=1`);
		const graph = b.page.locator('canvas[data-edges]');
		await expect.poll(() => graph.getAttribute('data-edges')).toBe('1');
		expect(await graph.getAttribute('data-nodes')).toBe('2');

		// The map, centred halfway between the two HQs: the arc runs through the middle.
		const c = [(WEST.lon + SOUTH.lon) / 2, mercatorMidLat(WEST.lat, SOUTH.lat)];
		await b.page.goto(
			`${baseUrl}/map?layers=actor_arcs&rel_kind=negotiation_channel&z=6.5&c=${c[0].toFixed(4)},${c[1].toFixed(4)}`
		);
		await settled();
		const pink = blend(hexToRgb(KIND_COLOURS.negotiation_channel), ARC_ALPHA);
		const mid = await canvasCentre();
		const img = await waitForPixels(canvas(), (i) => around(i, mid.x, mid.y, 6, pink) >= 8, {
			name: 'map-arc-middle'
		});
		// Along the whole arc, not a stray dot: a quarter of the way from each end too.
		const total = img.count((p) => near(p, pink));
		expect(total).toBeGreaterThan(200);
		// Nothing of that colour far from the arc (the opposite corners of the view).
		expect(around(img, 40, img.height - 40, 30, pink)).toBe(0);
		expect(
			Number(await b.page.locator('[data-testid="arc-count"]').getAttribute('data-count'))
		).toBeGreaterThanOrEqual(1);
		await screenshot(b.page, 'map-layer-arcs');

		// Hovering names both actors and the kind; clicking opens the details with links to both.
		await b.page.mouse.move(mid.pageX, mid.pageY);
		await b.page.mouse.move(mid.pageX + 1, mid.pageY);
		const tip = b.page.locator('.tooltip');
		await expect
			.poll(() => tip.innerText().catch(() => ''), { timeout: 20_000 })
			.toBe(`${WEST.name} — Negotiation channel — ${SOUTH.name}`);
		await b.page.mouse.click(mid.pageX, mid.pageY);
		const details = b.page.locator('[data-testid="details-panel"][data-kind="relationship"]');
		await details.waitFor();
		expect(await details.locator('[data-testid="arc-source"]').getAttribute('href')).toBe(
			`/actors/${westId}`
		);
		expect(await details.locator('[data-testid="arc-target"]').getAttribute('href')).toBe(
			`/actors/${southId}`
		);
		expect(await details.innerText()).toContain(SOUTH.name);
		await expect.poll(() => param('sel')).toMatch(/^relationship:[0-9a-f-]{36}$/);
		await screenshot(b.page, 'map-layer-arcs-selected');

		// The selection is in the URL: a reload opens the same details.
		await b.page.reload();
		await details.locator('[data-testid="arc-target"]').waitFor();
	});

	it('draws the date filter: before the relationship began there is no arc', async () => {
		const r = await http(`/api/v1/actors/arcs?as_of=2015-06-01&kind=negotiation_channel`, {
			cookie
		});
		const rows = (await r.json()) as unknown[][];
		expect(rows.some((a) => a[7] === WEST.name)).toBe(false);
		await b.page.locator('#map-to').fill('2015-06-01');
		await b.page.locator('#map-to').press('Enter');
		await expect.poll(() => param('to')).toBe('2015-06-01');
		const mid = await canvasCentre();
		const pink = blend(hexToRgb(KIND_COLOURS.negotiation_channel), ARC_ALPHA);
		await waitForPixels(canvas(), (i) => around(i, mid.x, mid.y, 6, pink) === 0, {
			name: 'map-arc-before'
		});
	});

	it('fills an actor\u2019s presence area in its stance colour', async () => {
		// The hostile actor is present in Al-Rutba district.
		await b.page.goto(`${baseUrl}/actors/${southId}`);
		await hydrated(b.page);
		await b.page.locator('#p-area').selectOption({ label: '— Al-Rutba' });
		await b.page.locator('form[action="?/addPresence"] button').click();
		await b.page.locator('ul.plain li', { hasText: 'Al-Rutba' }).first().waitFor();

		const areas = (await (await http('/api/v1/areas?level=2', { cookie })).json()) as {
			features: { properties: { pcode: string; label_lon: number; label_lat: number } }[];
		};
		const rutba = areas.features.find((f) => f.properties.pcode === DISTRICT)!.properties;
		await b.page.goto(
			`${baseUrl}/map?layers=actor_presence&actor_type=community_leader&z=6.5&c=${rutba.label_lon},${rutba.label_lat}`
		);
		await settled();
		// The outline carries the stance colour; the fill is a light tint of it.
		const orange = blend(hexToRgb(STANCE_COLOURS.hostile), PRESENCE_LINE_ALPHA);
		await waitForPixels(canvas(), (i) => i.count((p) => near(p, orange, 30)) > 150, {
			name: 'map-presence-outline'
		});
		await b.page.locator('[data-testid="presence-legend"]').waitFor();
		await screenshot(b.page, 'map-layer-presence');

		const mid = await canvasCentre();
		await b.page.mouse.click(mid.pageX, mid.pageY);
		const details = b.page.locator('[data-testid="details-panel"][data-kind="actor"]');
		await details.locator('[data-testid="actor-link"]').waitFor();
		expect(await details.locator('[data-testid="actor-link"]').getAttribute('href')).toBe(
			`/actors/${southId}`
		);
		expect(await details.innerText()).toMatch(/Al-Rutba/);
	});
});

describe('area shading', () => {
	it('fills a district with the security level an analyst recorded, and lists the five levels', async () => {
		const r = await http(`/api/v1/areas/${DISTRICT}/levels`, {
			method: 'POST',
			cookie,
			body: { level: LEVEL, note: 'Cross-border raids; no movement.' }
		});
		expect(r.status).toBeLessThan(300);
		const levels = (await (await http('/api/v1/stats/levels?level=2', { cookie })).json()) as {
			pcode: string;
			level: number;
		}[];
		expect(levels.find((l) => l.pcode === DISTRICT)?.level).toBe(LEVEL);

		const areas = (await (await http('/api/v1/areas?level=2', { cookie })).json()) as {
			features: { properties: { pcode: string; label_lon: number; label_lat: number } }[];
		};
		const rutba = areas.features.find((f) => f.properties.pcode === DISTRICT)!.properties;
		await b.page.goto(
			`${baseUrl}/map?layers=area_levels&z=7&c=${rutba.label_lon},${rutba.label_lat}`
		);
		await settled();
		const purple = blend(hexToRgb(levelInfo(LEVEL)!.colour), LEVEL_FILL_ALPHA);
		const mid = await canvasCentre();
		// Most of a 21×21 box in the middle of the district (a place name may cover a little).
		await waitForPixels(canvas(), (i) => around(i, mid.x, mid.y, 10, purple) > 0.6 * 21 * 21, {
			name: 'map-level-district'
		});

		const legend = b.page.locator('[data-testid="levels-legend"] li');
		expect(await legend.count()).toBe(5);
		expect(await legend.allInnerTexts()).toEqual([
			'1 · Low',
			'2 · Moderate',
			'3 · Substantial',
			'4 · High',
			'5 · Extreme'
		]);

		await b.page.mouse.move(mid.pageX, mid.pageY);
		await b.page.mouse.move(mid.pageX + 1, mid.pageY);
		await expect
			.poll(
				() =>
					b.page
						.locator('.tooltip')
						.innerText()
						.catch(() => ''),
				{ timeout: 20_000 }
			)
			.toMatch(/^Al-Rutba · Level 5: Extreme · set /);
		await screenshot(b.page, 'map-layer-levels');
	});

	it('colours districts by their baseline flag, counting rising areas as the API does, one shading at a time', async () => {
		const asOf = '2017-10-31';
		await b.page.goto(`${baseUrl}/map?layers=area_baseline&to=${asOf}`);
		await settled();
		const api = (await (
			await http(`/api/v1/stats/baseline?level=2&as_of=${asOf}`, { cookie })
		).json()) as {
			rows: { pcode: string | null; four_weeks_trend: string }[];
		};
		const rising = api.rows.filter((r) => r.pcode && r.four_weeks_trend === 'rising').length;
		const falling = api.rows.filter((r) => r.pcode && r.four_weeks_trend === 'falling').length;
		expect(rising + falling).toBeGreaterThan(0);
		const summary = b.page.locator('[data-testid="baseline-summary"]');
		await expect.poll(() => summary.getAttribute('data-rising')).toBe(String(rising));
		expect(await summary.getAttribute('data-falling')).toBe(String(falling));
		expect(
			await b.page
				.locator('[data-testid="baseline-legend"] li[data-flag="rising"]')
				.getAttribute('data-count')
		).toBe(String(rising));

		const red = blend(BASELINE_COLOURS.rising, BASELINE_FILL_ALPHA);
		const green = blend(BASELINE_COLOURS.falling, BASELINE_FILL_ALPHA);
		await waitForPixels(canvas(), (i) => i.count((p) => near(p, red) || near(p, green)) > 300, {
			name: 'map-baseline-flags'
		});
		expect(
			await b.page.locator('a', { hasText: 'Open the baseline table' }).getAttribute('href')
		).toBe(`/analysis/baseline?as_of=${asOf}&level=2`);
		await screenshot(b.page, 'map-layer-baseline');

		// Security levels replace the baseline rather than mixing with it.
		await b.page.locator('input[data-layer="area_levels"]').check();
		await expect.poll(() => param('layers')).toBe('area_levels');
		await waitForPixels(canvas(), (i) => i.count((p) => near(p, green, 14)) === 0, {
			name: 'map-baseline-off'
		});
	});
});

describe('in Arabic', () => {
	it('shows each layer with its legend right to left', async () => {
		const ar = await openBrowser({ locale: 'ar' });
		try {
			await ar.context.addCookies([
				{ name: 'terrain_session', value: cookie.replace(/^terrain_session=/, ''), url: baseUrl }
			]);
			await ar.context.addCookies([{ name: 'terrain_lang', value: 'ar', url: baseUrl }]);
			for (const [q, name, text] of [
				['layers=actor_arcs,actor_presence', 'map-layer-actors-ar', 'العلاقات'],
				['layers=area_levels', 'map-layer-levels-ar', 'قصوى'],
				['layers=area_baseline&to=2017-10-31', 'map-layer-baseline-ar', 'في ارتفاع']
			]) {
				await ar.page.goto(`${baseUrl}/map?${q}`);
				expect(await ar.page.locator('html').getAttribute('dir')).toBe('rtl');
				await ar.page
					.locator('[data-testid="map"][data-loading="false"]')
					.waitFor({ timeout: 120_000 });
				await ar.page.locator('.panel-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
				expect(await ar.page.locator('.panel').innerText()).toContain(text);
				await screenshot(ar.page, name);
			}
			expect(ar.requests.foreign()).toEqual([]);
			expect(ar.requests.errors).toEqual([]);
		} finally {
			await ar.close();
		}
	});
});
