/**
 * Issue 11 in Chromium: the live movements board and the nearest safe-site finder.
 * - An analyst keeps /movements open; a field user checks a movement out and back in from another
 *   browser; the analyst's board shows each change live (server-sent events fed by LISTEN/NOTIFY),
 *   without reloading. A viewer gets no board and no stream.
 * - The nearest-site form on /contingency, filled top to bottom, lists the same sites and
 *   distances the API answers, field by field.
 * It writes no contingency plan and leaves no headcount or setting behind; its movement ends closed
 * far from every area (no alert rule or map screen of another file sees it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';

const plan = (purpose: string) => ({
	purpose,
	departure_at: new Date(Date.now() - 3600_000).toISOString(),
	return_at: new Date(Date.now() + 6 * 3600_000).toISOString(),
	route: {
		type: 'LineString',
		coordinates: [
			[10, 10],
			[10.1, 10.1]
		]
	},
	team: [{ name: 'Driver Hassan', role: 'driver', phone: '+9647501234567' }]
});

const km = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const arabic = async (b: TestBrowser, baseUrl: string) =>
	b.context.addCookies([{ name: 'terrain_lang', value: 'ar', url: baseUrl }]);

describe('live movements board and nearest safe site', () => {
	const open: TestBrowser[] = [];
	let movementId = '';
	afterAll(async () => {
		if (movementId)
			await http(`/api/v1/movements/${movementId}/transition`, {
				method: 'POST',
				cookie: await sessionCookie('admin'),
				body: { to: 'closed', reason: 'e2e done' }
			});
		for (const b of open) await b.close();
	});

	it('shows another browser’s check-out and check-in live on the board', async () => {
		const { baseUrl } = e2e();
		const field = await sessionCookie('field');
		const admin = await sessionCookie('admin');
		const purpose = `Board visit ${Date.now()}`;
		const made = await http('/api/v1/movements', {
			method: 'POST',
			cookie: field,
			body: plan(purpose)
		});
		expect(made.status).toBe(201);
		movementId = (await made.json()).id;
		const step = (cookie: string, to: string) =>
			http(`/api/v1/movements/${movementId}/transition`, { method: 'POST', cookie, body: { to } });
		expect((await step(field, 'submitted')).status).toBe(200);
		expect((await step(admin, 'approved')).status).toBe(200);

		// the analyst's board, connected
		const an = await openBrowser({ viewport: { width: 1366, height: 900 } });
		open.push(an);
		const a = an.page;
		await signIn(a, baseUrl, 'analyst');
		await a.goto(`${baseUrl}/movements`);
		await expect.poll(() => a.getByTestId('board-live').getAttribute('data-live')).toBe('yes');
		const row = a.locator(`[data-testid="board-row"][data-id="${movementId}"]`);
		expect(await row.getAttribute('data-status')).toBe('approved');
		// a mark on this page: it is still there after the changes, so nothing reloaded
		await a.evaluate(() => ((window as unknown as { boardMark: number }).boardMark = 1));

		// the field user checks out, then in, from their own browser
		const fb = await openBrowser({ viewport: { width: 390, height: 844 } });
		open.push(fb);
		const p: Page = fb.page;
		await signIn(p, baseUrl, 'field');
		await p.goto(`${baseUrl}/movements/${movementId}`);
		await p.getByTestId('do-check-out').click();
		await expect.poll(() => row.getAttribute('data-status'), { timeout: 30_000 }).toBe('under_way');
		expect(await row.textContent()).toContain('due back');
		await screenshot(a, 'movement-board-1366-en');
		await p.getByTestId('do-check-in').click();
		await expect.poll(() => row.getAttribute('data-status'), { timeout: 30_000 }).toBe('completed');
		expect(await row.textContent()).toContain('back ');
		expect(await a.evaluate(() => (window as unknown as { boardMark?: number }).boardMark)).toBe(1);
		// what the board shows is what the API answers
		const got = await (await http(`/api/v1/movements/${movementId}`, { cookie: field })).json();
		expect(got.status).toBe('completed');
		expect(await row.getByRole('link').textContent()).toBe(got.purpose);

		// a viewer: no board page, no stream
		const viewer = await sessionCookie('viewer');
		expect((await http('/movements', { cookie: viewer })).status).toBe(403);
		const vs = await http('/api/v1/movements/stream', { cookie: viewer });
		expect(vs.status).toBe(403);
		expect(vs.headers.get('content-type')).toContain('application/json');

		// screens: the board on a phone and in Arabic
		await p.goto(`${baseUrl}/movements`);
		await screenshot(p, 'movement-board-390-en');
		await arabic(fb, baseUrl);
		await p.reload();
		await expect.poll(() => p.getByTestId('board-live').getAttribute('data-live')).toBe('yes');
		await screenshot(p, 'movement-board-390-ar');
		await arabic(an, baseUrl);
		await a.reload();
		await screenshot(a, 'movement-board-1366-ar');
	});

	it('finds the nearest safe sites from the form, as the API answers', async () => {
		const { baseUrl } = e2e();
		const an = await openBrowser({ viewport: { width: 1366, height: 900 } });
		open.push(an);
		const a = an.page;
		await signIn(a, baseUrl, 'analyst');
		await a.goto(`${baseUrl}/contingency`);
		const box = a.getByTestId('nearest');
		await box.getByLabel('Latitude').fill('36.867');
		await box.getByLabel('Longitude').fill('43.0');
		await box.getByLabel('Kind of site').selectOption('');
		await box.getByTestId('nearest-find').click();
		await expect.poll(() => box.getByTestId('nearest-site').count()).toBeGreaterThan(0);
		const api = (await (
			await http('/api/v1/contingency/nearest?lat=36.867&lon=43.0', {
				cookie: await sessionCookie('analyst')
			})
		).json()) as { name: string; distance_km: number; role: string }[];
		expect(api.length).toBeGreaterThan(0);
		const items = box.getByTestId('nearest-site');
		expect(await items.count()).toBe(api.length);
		for (const [i, s] of api.entries()) {
			const text = (await items.nth(i).textContent()) ?? '';
			expect(text).toContain(s.name);
			expect(text).toContain(`${km.format(s.distance_km)} km`);
			expect(text).toContain(
				{
					hibernation_site: 'Hibernation site',
					assembly_point: 'Assembly point',
					safe_haven: 'Safe haven'
				}[s.role]
			);
		}
		// the sample's Dohuk hibernation site is nearest to Dohuk: under 10 km
		expect(api.some((s) => /hibernation/i.test(s.name) && s.distance_km < 10)).toBe(true);
		// a kind narrows it; bad input is named
		await box.getByLabel('Kind of site').selectOption('assembly_point');
		await box.getByTestId('nearest-find').click();
		await expect
			.poll(async () => (await items.allTextContents()).every((t) => t.includes('Assembly point')))
			.toBe(true);
		await screenshot(a, 'nearest-1366-en');
		await box.getByLabel('Latitude').fill('95');
		await box.getByTestId('nearest-find').click();
		await expect.poll(() => box.getByRole('alert').textContent()).toContain('lat');
		// a point from the address (a map can link here), on a phone, in Arabic
		const ph = await openBrowser({ viewport: { width: 390, height: 844 } });
		open.push(ph);
		await signIn(ph.page, baseUrl, 'analyst');
		await ph.page.goto(`${baseUrl}/contingency?lat=36.867&lon=43.0`);
		await expect.poll(() => ph.page.getByTestId('nearest-site').count()).toBe(api.length);
		await screenshot(ph.page, 'nearest-390-en');
		await arabic(ph, baseUrl);
		await ph.page.reload();
		await expect.poll(() => ph.page.getByTestId('nearest-site').count()).toBe(api.length);
		await screenshot(ph.page, 'nearest-390-ar');
		await arabic(an, baseUrl);
		await a.goto(`${baseUrl}/contingency?lat=36.867&lon=43.0`);
		await expect.poll(() => a.getByTestId('nearest-site').count()).toBe(api.length);
		await screenshot(a, 'nearest-1366-ar');
	});
});
