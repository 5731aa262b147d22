// An online basemap (issue 13, point 5: "An online style URL remains an option"), in Chromium
// against the real server, with a stand-in for a hosted style on another localhost port
// (tests/e2e/helpers/style-server.ts: the style and its TileJSON on 127.0.0.1:P, the tiles on
// localhost:P):
// - an admin registers the style's URL on /admin/basemaps; a wrong URL gets one line saying why;
//   `terrain basemap add-url` does the same from the command line;
// - the map page's Content-Security-Policy opens the style's two origins and no other;
// - an analyst's map makes no request to them while the built-in basemap is drawn; picking the
//   online one (named "(online)") draws its purple roads, puts basemap=<id> in the URL, and
//   reaches only those two origins (never its glyph server: names use the built-in fonts), with
//   no CSP refusal; the service worker keeps none of it; back to the built-in one, no more
//   requests go there;
// - with the host down, the built-in basemap stays and a note says the online one is unreachable.
// Screenshots at 1280 and 390 px, English and Arabic: test-results/e2e/basemap-online-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	openBrowser,
	screenshot,
	signIn,
	waitForPixels,
	type Pixels,
	type TestBrowser
} from './helpers/browser.ts';
import { cli, e2e, http, sessionCookie } from './helpers/server.ts';
import { ONLINE_COLORS, startStyleServer, type StyleServer } from './helpers/style-server.ts';

const { baseUrl, dataDir } = e2e();
const NAME = `Streets online ${Date.now()}`;
const VIEW = 'z=12.5&c=43.0,36.86&layers=';

const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
const near = (c: number[]) => (p: readonly number[]) =>
	Math.abs(p[0] - c[0]) < 28 && Math.abs(p[1] - c[1]) < 28 && Math.abs(p[2] - c[2]) < 28;
const ROAD = near(hex(ONLINE_COLORS.road));
const roads = (img: Pixels) => img.count(ROAD);

describe.skipIf(!dataDir)('online basemap (a hosted style URL)', () => {
	let srv: StyleServer;
	let b: TestBrowser;
	let id = '';
	const ours = () =>
		b.requests.urls.filter((u) => u.startsWith(srv.origin) || u.startsWith(srv.tileOrigin));
	const canvas = () => b.page.locator('.maplibregl-canvas');
	const loaded = () =>
		b.page.locator('[data-testid="map"][data-loading="false"]').waitFor({ timeout: 120_000 });

	beforeAll(async () => {
		srv = await startStyleServer();
	});
	afterAll(async () => {
		await b?.context.addCookies([{ name: 'terrain_lang', value: 'en', url: baseUrl }]);
		await b?.close();
		if (id) await cli(['basemap', 'remove', id], { TERRAIN_DATA_DIR: dataDir });
		await srv?.close();
	});

	it('an admin registers the style URL on the admin page; a wrong URL is refused', async () => {
		b = await openBrowser({ viewport: { width: 1280, height: 800 } });
		await signIn(b.page, baseUrl, 'admin');
		await b.page.goto(`${baseUrl}/admin/basemaps`);
		const form = b.page.getByTestId('basemap-add-online');
		const message = b.page.getByTestId('basemaps-message');
		await form.locator('input[name="url"]').fill(`${srv.origin}/missing.json`);
		await form.locator('button[type="submit"]').click();
		await expect.poll(() => message.textContent(), { timeout: 20_000 }).toMatch(/HTTP 404/);

		await form.locator('input[name="url"]').fill(srv.styleUrl);
		await form.locator('input[name="name"]').fill(NAME);
		await form.locator('button[type="submit"]').click();
		await expect.poll(() => message.textContent(), { timeout: 20_000 }).toContain(NAME);
		const row = b.page.locator('tr', { hasText: NAME });
		await expect.poll(() => row.textContent()).toContain('Online style');
		id = (await row.getAttribute('data-id')) ?? '';
		expect(id).toMatch(/^streets-online-\d+-[0-9a-f]{6}$/);
		await screenshot(b.page, 'basemap-online-admin-1280-en');
		await b.close();

		// The API lists it, with the origins it needs, to any signed-in user.
		const list = await (
			await http('/api/v1/basemaps', { cookie: await sessionCookie('viewer') })
		).json();
		expect(list.find((x: { id: string }) => x.id === id)).toMatchObject({
			kind: 'online',
			style: srv.styleUrl,
			origins: [srv.origin, srv.tileOrigin].sort()
		});
	});

	it('the pages\u2019 CSP opens the style\u2019s origins and no other', async () => {
		const r = await http('/map', {
			cookie: await sessionCookie('analyst'),
			headers: { accept: 'text/html' }
		});
		const csp = r.headers.get('content-security-policy') ?? '';
		const connect = csp.split('; ').find((d) => d.startsWith('connect-src ')) ?? '';
		expect(connect.split(' ').slice(1).sort()).toEqual(
			["'self'", srv.origin, srv.tileOrigin].sort()
		);
		expect(csp).toContain(`img-src 'self' data: blob: ${srv.origin}`);
		expect(csp).toMatch(/script-src 'self' 'unsafe-inline' blob:;/);
	});

	it('reaches the online host only once picked, draws it, and puts it in the URL', async () => {
		b = await openBrowser({ viewport: { width: 1280, height: 800 } });
		await signIn(b.page, baseUrl, 'analyst');
		const logged = srv.log.length;
		await b.page.goto(`${baseUrl}/map?${VIEW}`);
		await loaded();
		await waitForPixels(canvas(), (i) => i.count((p) => p[3] > 0) > 1000);
		await b.page.waitForTimeout(1500);
		expect(ours()).toEqual([]);
		expect(srv.log.length).toBe(logged);

		const select = b.page.getByTestId('basemap-select');
		await expect
			.poll(() => select.locator(`option[value="${id}"]`).textContent())
			.toBe(`${NAME} (online)`);
		await select.selectOption(id);
		await waitForPixels(canvas(), (i) => roads(i) > 800, {
			name: 'basemap-online-roads',
			timeout: 90_000
		});
		await expect.poll(() => new URL(b.page.url()).searchParams.get('basemap')).toBe(id);
		await b.page.waitForTimeout(1500); // the names' fonts
		await screenshot(b.page, 'basemap-online-1280-en');
		const hosts = new Set(ours().map((u) => new URL(u).origin));
		expect([...hosts].sort()).toEqual([srv.origin, srv.tileOrigin].sort());
		expect(ours().some((u) => u.includes('/tiles/'))).toBe(true);
		expect(ours().some((u) => u.includes('/fonts/'))).toBe(false);
		expect(b.requests.errors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);
		expect(b.requests.errors).toEqual([]);

		// The service worker keeps nothing of another host (it keeps only this app's answers).
		const kept = await b.page.evaluate(
			async (prefixes) => {
				const out: string[] = [];
				for (const k of await caches.keys())
					for (const r of await (await caches.open(k)).keys())
						if (prefixes.some((p) => r.url.startsWith(p))) out.push(r.url);
				return out;
			},
			[srv.origin, srv.tileOrigin]
		);
		expect(kept).toEqual([]);

		// Back to the built-in basemap: the purple roads go, and the host hears no more.
		await select.selectOption('');
		await waitForPixels(canvas(), (i) => roads(i) < 20, { name: 'basemap-online-back' });
		const after = srv.log.length;
		await b.page.mouse.move(640, 400);
		await b.page.mouse.down();
		await b.page.mouse.move(500, 300, { steps: 5 });
		await b.page.mouse.up();
		await b.page.waitForTimeout(2000);
		expect(srv.log.length).toBe(after);
		expect(b.requests.foreign()).toEqual([]);
	});

	it('looks right at 390 px and in Arabic', async () => {
		for (const [lang, width, height] of [
			['ar', 1280, 800],
			['ar', 390, 844],
			['en', 390, 844]
		] as const) {
			await b.context.addCookies([{ name: 'terrain_lang', value: lang, url: baseUrl }]);
			await b.page.setViewportSize({ width, height });
			await b.page.goto(`${baseUrl}/map?${VIEW}&basemap=${id}`);
			await loaded();
			await waitForPixels(canvas(), (i) => roads(i) > 300, {
				name: `basemap-online-${width}-${lang}`,
				timeout: 90_000
			});
			await expect(b.page.getByTestId('basemap-select').inputValue()).resolves.toBe(id);
			await b.page.waitForTimeout(1500);
			await screenshot(b.page, `basemap-online-${width}-${lang}`);
		}
		expect(b.requests.errors).toEqual([]);
		await b.page.setViewportSize({ width: 1280, height: 800 });
		await b.context.addCookies([{ name: 'terrain_lang', value: 'en', url: baseUrl }]);
	});

	it('with the host down, the built-in basemap stays and a note says why', async () => {
		await srv.close();
		await b.page.goto(`${baseUrl}/map?${VIEW}&basemap=${id}`);
		await loaded();
		await b.page.getByTestId('basemap-failed').waitFor({ timeout: 30_000 });
		expect(await b.page.getByTestId('basemap-failed').textContent()).toContain(
			'could not be reached'
		);
		// The built-in basemap is still drawn (its land), not a blank canvas.
		await waitForPixels(canvas(), (i) => i.count((p) => p[3] > 0) > 1000);
		await screenshot(b.page, 'basemap-online-down-1280-en');
	});

	it('`terrain basemap add-url` registers the same, lists it and removes it', async () => {
		const again = await startStyleServer();
		try {
			const r = await cli(['basemap', 'add-url', again.styleUrl, '--name', 'CLI streets'], {
				TERRAIN_DATA_DIR: dataDir
			});
			const cliId = /basemap (\S+) /.exec(r.stdout)?.[1] ?? '';
			expect(r.stdout).toContain(
				`online style, from ${[again.origin, again.tileOrigin].sort().join(' ')}`
			);
			const listedOut = (await cli(['basemap', 'list'], { TERRAIN_DATA_DIR: dataDir })).stdout;
			expect(listedOut).toContain(`${cliId}\tCLI streets\tonline\t${again.styleUrl}`);
			await cli(['basemap', 'remove', cliId], { TERRAIN_DATA_DIR: dataDir });
		} finally {
			await again.close();
		}
	});
});
