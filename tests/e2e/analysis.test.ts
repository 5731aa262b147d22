// The analysis screens in Chromium against the real server and the UCDP demo data: brushing the
// time chart sets the dates and every count follows (here, through the API, and on the map);
// an analyst records a district's security level and it is what the map layer's endpoint serves;
// a viewer cannot record one; several areas from a map link survive the form being applied again.
// Every screen is looked at (screenshots in test-results/e2e).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';

const { baseUrl } = e2e();
const DISTRICT = 'IQG15Q05'; // Al-Mosul
let b: TestBrowser;
let analyst: string;
let viewer: string;

beforeAll(async () => {
	b = await openBrowser({ viewport: { width: 1280, height: 900 } });
	await signIn(b.page, baseUrl, 'analyst');
	analyst = await sessionCookie('analyst');
	viewer = await sessionCookie('viewer');
});
afterAll(async () => {
	await b?.close();
});

const total = async () =>
	Number(await b.page.locator('[data-testid="analysis-total"]').getAttribute('data-count'));
const param = (name: string) => new URL(b.page.url()).searchParams.get(name);

async function apiTotal(q: Record<string, string>, cookie = analyst): Promise<number> {
	const r = await http(`/api/v1/stats/incidents?${new URLSearchParams(q)}`, { cookie });
	expect(r.status).toBe(200);
	return ((await r.json()) as { total: number }).total;
}

describe('the analysis screen', () => {
	it('charts every incident of the demo data, with its source and dates', async () => {
		await b.page.goto(`${baseUrl}/analysis`);
		// Every demo incident (7,473), plus what other test files on this shared server reported or
		// imported before this one ran (file order is not fixed), exactly as the API counts them.
		expect(await total()).toBeGreaterThanOrEqual(7473);
		expect(await total()).toBe(await apiTotal({}));
		const time = b.page.locator('[data-testid="chart-time"]');
		await expect.poll(() => time.locator('rect[data-bin]').count()).toBeGreaterThan(100);
		// The caption names the sources and the span counted: the demo data's 1989–2018, or wider
		// when other test files imported older or newer rows first, as the API says.
		const r = await http('/api/v1/stats/incidents', { cookie: analyst });
		const span = (await r.json()) as { first_date: string; last_date: string };
		expect(span.first_date <= '1989-12-31' && span.last_date >= '2018-01-01').toBe(true);
		const [y0, y1] = [span.first_date.slice(0, 4), span.last_date.slice(0, 4)];
		await expect
			.poll(() => time.locator('figcaption').innerText())
			.toMatch(new RegExp(`UCDP.*\\n.*${y0}.*${y1}`, 's'));
		// governorates as a map and as bars
		await expect
			.poll(() => b.page.locator('[data-testid="area-map"] a[data-pcode]').count())
			.toBe(18);
		for (const id of [
			'chart-fatalities',
			'chart-areas',
			'chart-actors',
			'chart-calendar',
			'chart-dow'
		]) {
			await expect
				.poll(() => b.page.locator(`[data-testid="${id}"] svg[data-chart]`).count(), {
					message: id
				})
				.toBeGreaterThanOrEqual(1);
		}
		// UCDP has no time of day: the hour chart says so instead of drawing an empty axis — unless
		// another test file on this shared server reported incidents with a time first, which it
		// then charts (never an empty axis either way).
		const hour = b.page.locator('[data-testid="chart-hour"]');
		await expect
			.poll(async () =>
				(await hour.locator('svg[data-chart]').count()) > 0
					? 'chart'
					: await hour
							.locator('.empty')
							.innerText({ timeout: 1000 })
							.catch(() => '')
			)
			.toMatch(/^chart$|time of day/);
		await screenshot(b.page, 'analysis-trends');
	});

	it('sets from/to by brushing the time chart, and every count follows', async () => {
		await b.page.goto(`${baseUrl}/analysis?from=2014-01-01&to=2015-12-31&by=month`);
		const before = await total();
		const overlay = b.page.locator('[data-testid="time-chart-brush"]');
		const box = (await overlay.boundingBox())!;
		// drag across roughly the second quarter of 2014 … first quarter of 2015
		const y = box.y + box.height / 2;
		await b.page.mouse.move(box.x + box.width * 0.2, y);
		await b.page.mouse.down();
		await b.page.mouse.move(box.x + box.width * 0.4, y, { steps: 5 });
		await b.page.mouse.move(box.x + box.width * 0.6, y, { steps: 5 });
		await b.page.mouse.up();
		// The URL changes once the new counts are loaded (a navigation): seconds on a busy machine.
		await expect.poll(() => param('from'), { timeout: 30_000 }).not.toBe('2014-01-01');
		const from = param('from')!;
		const to = param('to')!;
		// whole months: from the first of a month to the last day of one
		expect(from).toMatch(/^201[45]-\d\d-01$/);
		expect(new Date(`${to}T00:00:00Z`).getUTCDate()).toBeGreaterThanOrEqual(28);
		expect(from > '2014-01-01' && to < '2015-12-31').toBe(true);
		await expect.poll(() => total(), { timeout: 30_000 }).not.toBe(before);
		const after = await total();
		expect(after).toBe(await apiTotal({ from, to }));
		expect(after).toBeLessThan(before);
		await screenshot(b.page, 'analysis-brushed');

		// the same filters on the map: its count is the stats count for its own viewport
		await b.page.locator('[data-testid="open-map"]').click();
		await b.page.waitForURL((u) => u.pathname === '/map');
		expect([param('from'), param('to')]).toEqual([from, to]);
		await b.page.locator('[data-testid="map"][data-loading="false"]').waitFor({ timeout: 120_000 });
		const count = b.page.locator('[data-testid="incident-count"]');
		const shown = Number(await count.getAttribute('data-count'));
		const bbox = (await count.getAttribute('data-bbox'))!;
		expect(shown).toBeGreaterThan(0);
		expect(shown).toBe(await apiTotal({ from, to, bbox }));
		expect(shown).toBeLessThanOrEqual(after);
	});

	it('says "no data" instead of drawing empty axes', async () => {
		await b.page.goto(`${baseUrl}/analysis?from=1980-01-01&to=1980-12-31`);
		expect(await total()).toBe(0);
		await expect.poll(() => b.page.locator('.chart .empty').count()).toBeGreaterThanOrEqual(6);
		expect(await b.page.locator('svg[data-chart]').count()).toBe(0);
	});

	it('filters by an area chosen in the bar chart', async () => {
		await b.page.goto(`${baseUrl}/analysis?from=2016-01-01&to=2016-12-31`);
		await b.page.locator('[data-testid="area-bars"] g[data-key="IQG15"] a').click();
		await b.page.waitForURL((u) => u.searchParams.get('area') === 'IQG15');
		expect(await total()).toBe(
			await apiTotal({ from: '2016-01-01', to: '2016-12-31', area: 'IQG15' })
		);
		await expect
			.poll(() => b.page.locator('[data-testid="chart-areas"] h3').innerText())
			.toMatch(/district/i);
	});

	it('keeps several areas from a map link when the form is applied again', async () => {
		// The map's multi-area filter (area=A,B) opens the analysis screen with both areas; the
		// form must send both back, not the first one only.
		await b.page.goto(`${baseUrl}/analysis?area=IQG09,IQG02`);
		const both = await apiTotal({ area: 'IQG09,IQG02' });
		expect(both).toBeGreaterThan(await apiTotal({ area: 'IQG09' }));
		expect(await total()).toBe(both);
		const select = b.page.locator('select[name="area"]');
		expect(await select.inputValue()).toBe('IQG09,IQG02');
		expect(await select.locator('option:checked').textContent()).toMatch(
			/^Several areas: .+ \+ .+$/
		);
		await b.page.locator('select[name="by"]').selectOption('month');
		await b.page.getByRole('button', { name: 'Apply' }).click();
		await b.page.waitForURL((u) => u.searchParams.get('by') === 'month');
		expect(param('area')).toBe('IQG09,IQG02');
		expect(await total()).toBe(both);
		// The line under the form names both areas, not the first one only.
		expect(await b.page.getByTestId('analysis-covers').textContent()).toMatch(/ · .+ \+ .+$/);
		await screenshot(b.page, 'analysis-several-areas-1280-en');
		const url = b.page.url();
		await b.context.addCookies([{ name: 'terrain_lang', value: 'ar', url: baseUrl }]);
		try {
			for (const width of [1280, 390]) {
				await b.page.setViewportSize({ width, height: 900 });
				await b.page.goto(url);
				expect(await select.inputValue()).toBe('IQG09,IQG02');
				await screenshot(b.page, `analysis-several-areas-${width}-ar`);
			}
			await b.context.addCookies([{ name: 'terrain_lang', value: 'en', url: baseUrl }]);
			await b.page.goto(url);
			await screenshot(b.page, 'analysis-several-areas-390-en');
		} finally {
			await b.context.addCookies([{ name: 'terrain_lang', value: 'en', url: baseUrl }]);
			await b.page.setViewportSize({ width: 1280, height: 900 });
		}
	});

	it('shows the baseline table as of a date, sortable, with flags as the API gives them', async () => {
		await b.page.goto(`${baseUrl}/analysis/baseline?as_of=2017-07-10&level=1`);
		const table = b.page.locator('[data-testid="baseline-table"]');
		await expect.poll(() => table.locator('tbody tr').count()).toBe(18);
		const r = await http('/api/v1/stats/baseline?as_of=2017-07-10&level=1', { cookie: analyst });
		const api = (await r.json()) as { rows: { pcode: string; four_weeks_trend: string }[] };
		const ninewa = api.rows.find((x) => x.pcode === 'IQG15')!;
		expect(
			await table.locator('tr[data-pcode="IQG15"]').getAttribute('data-four-weeks-trend')
		).toBe(ninewa.four_weeks_trend);
		await table.getByRole('button', { name: 'Area' }).click();
		const first = await table.locator('tbody tr').first().getAttribute('data-pcode');
		await table.getByRole('button', { name: 'Area' }).click();
		expect(await table.locator('tbody tr').first().getAttribute('data-pcode')).not.toBe(first);
		await screenshot(b.page, 'analysis-baseline');
	});

	it('lists the incidents near our sites', async () => {
		await b.page.goto(
			`${baseUrl}/analysis/proximity?site_kind=org_sites&km=25&days=365&as_of=2017-06-30`
		);
		const result = b.page.locator('[data-testid="proximity-result"]');
		const shown = Number(await result.getAttribute('data-total'));
		const r = await http(
			'/api/v1/proximity?site_kind=org_sites&km=25&days=365&as_of=2017-06-30&limit=1',
			{ cookie: analyst }
		);
		expect(shown).toBe(((await r.json()) as { total: number }).total);
		expect(shown).toBeGreaterThan(0);
		await screenshot(b.page, 'analysis-proximity');
	});
});

describe('security levels', () => {
	it('lets an analyst record a district level, with field errors first, and serves it to the map layer', async () => {
		// networkidle: the page is hydrated, so the form posts through use:enhance
		await b.page.goto(`${baseUrl}/areas/${DISTRICT}`, { waitUntil: 'networkidle' });
		const form = b.page.locator('[data-testid="record-level"] form');
		await form.getByRole('button', { name: 'Record level' }).click();
		await expect.poll(() => form.locator('.error').count()).toBe(2); // no level, no note
		await b.page.waitForLoadState('networkidle');
		await form.locator('input[name="level"][value="4"]').check();
		await form
			.locator('textarea[name="note"]')
			.fill('Clashes in the old city; movements suspended.');
		await form.getByRole('button', { name: 'Record level' }).click();
		await expect
			.poll(() =>
				b.page.locator('[data-testid="current-level"] [data-level]').getAttribute('data-level')
			)
			.toBe('4');
		await expect
			.poll(() => b.page.locator('[data-testid="level-history"] li').count())
			.toBeGreaterThan(0);
		await screenshot(b.page, 'area-page-analyst');

		const layer = await http('/api/v1/stats/levels?level=2', { cookie: viewer });
		const levels = (await layer.json()) as { pcode: string; level: number; colour: string }[];
		expect(levels.find((l) => l.pcode === DISTRICT)).toMatchObject({ level: 4, colour: '#b2182b' });
	});

	it('does not let a viewer record one, in the page or through the API', async () => {
		const v = await openBrowser();
		try {
			await signIn(v.page, baseUrl, 'viewer');
			await v.page.goto(`${baseUrl}/areas/${DISTRICT}`);
			await v.page.locator('[data-testid="record-forbidden"]').waitFor();
			expect(await v.page.locator('[data-testid="record-level"] form').count()).toBe(0);
			await screenshot(v.page, 'area-page-viewer');
		} finally {
			await v.close();
		}
		const history = async () =>
			(
				(await (
					await http(`/api/v1/areas/${DISTRICT}/levels`, { cookie: viewer })
				).json()) as unknown[]
			).length;
		const n = await history();
		const api = await http(`/api/v1/areas/${DISTRICT}/levels`, {
			method: 'POST',
			cookie: viewer,
			body: { level: 1, note: 'All calm' }
		});
		expect(api.status).toBe(403);
		const action = await http(`/areas/${DISTRICT}?/record`, {
			method: 'POST',
			cookie: viewer,
			body: new URLSearchParams({ level: '1', note: 'All calm' }),
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'application/json',
				'x-sveltekit-action': 'true'
			}
		});
		expect(((await action.json()) as { type: string; status: number }).status).toBe(403);
		expect(await history()).toBe(n);
	});
});

describe('in Arabic', () => {
	it('lays the analysis screens out right to left', async () => {
		// Signed in first, then Arabic chosen (the language cookie the switcher sets): the login
		// page's nested language form makes a sign-in typed in before hydration unreliable.
		const ar = await openBrowser({ locale: 'ar' });
		try {
			await ar.context.addCookies([
				{
					name: 'terrain_session',
					value: (await sessionCookie('analyst')).replace(/^terrain_session=/, ''),
					url: baseUrl
				}
			]);
			await ar.context.addCookies([{ name: 'terrain_lang', value: 'ar', url: baseUrl }]);
			for (const [path, name] of [
				['/analysis?from=2016-01-01&to=2017-12-31', 'analysis-trends-ar'],
				['/analysis/baseline?as_of=2017-07-10&level=1', 'analysis-baseline-ar'],
				[`/areas/${DISTRICT}`, 'area-page-ar']
			]) {
				await ar.page.goto(`${baseUrl}${path}`);
				expect(await ar.page.locator('html').getAttribute('dir')).toBe('rtl');
				await screenshot(ar.page, name);
			}
			expect(await ar.page.locator('h1').first().innerText()).toMatch(/الموصل/);
			expect(ar.requests.foreign()).toEqual([]);
		} finally {
			await ar.close();
		}
	});
});
