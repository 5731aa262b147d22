// Actor mapping as an analyst does it: add an actor (a probable duplicate is caught), map a
// relationship on the actor page, see it in the network as of a date (pixels on the canvas, not
// just counts) and in the arcs the map draws between related actors' locations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	openBrowser,
	screenshot,
	signIn,
	waitForPixels,
	type TestBrowser
} from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';

const { baseUrl } = e2e();
const NAME = `Sumel council ${Date.now()}`;

describe('an analyst maps a relationship and sees it in the graph and the map data', () => {
	let b: TestBrowser;
	let cookie: string;
	beforeAll(async () => {
		b = await openBrowser();
		await signIn(b.page, baseUrl, 'analyst');
		cookie = await sessionCookie('analyst');
	});
	afterAll(async () => b?.close());

	it('catches a probable duplicate of a demo actor (Daesh is UCDP\'s "IS")', async () => {
		await b.page.goto(`${baseUrl}/actors`);
		await b.page.locator('#a-name').fill('Daesh');
		await b.page.locator('#a-type').selectOption('armed_group');
		await b.page.getByRole('button', { name: 'Save' }).last().click();
		const alert = b.page.locator('.dups[role="alert"]');
		await alert.waitFor();
		expect(await alert.innerText()).toMatch(/already exists[\s\S]*\bIS\b[\s\S]*matched on “Daesh”/);
	});

	it('adds an actor with an HQ, maps a coordination with Peshmerga, and the network shows it from its start date', async () => {
		await b.page.goto(`${baseUrl}/actors`);
		await b.page.locator('#a-name').fill(NAME);
		await b.page.locator('#a-type').selectOption('community_leader');
		await b.page.locator('#a-stance').selectOption('supportive');
		await b.page.locator('#a-influence').fill('2');
		await b.page.locator('#a-interest').fill('4');
		await b.page.locator('#a-hq-lon').fill('42.95');
		await b.page.locator('#a-hq-lat').fill('36.85');
		await Promise.all([
			b.page.waitForURL(/\/actors\/[0-9a-f-]{36}/),
			b.page.getByRole('button', { name: 'Save' }).last().click()
		]);
		const actorId = b.page.url().match(/\/actors\/([0-9a-f-]{36})/)![1];
		expect(await b.page.getByRole('heading', { level: 1 }).innerText()).toContain(NAME);

		await b.page.locator('#r-kind').selectOption('coordination');
		await b.page.locator('#r-other').selectOption({ label: 'Peshmerga' });
		await b.page.locator('#r-from').fill('2016-01-01');
		await b.page.locator('.rel-form button').click();
		await b.page.getByText('Relationship saved.').waitFor();
		const row = b.page.locator('table tr', { hasText: 'Peshmerga' });
		expect(await row.innerText()).toMatch(/Coordination[\s\S]*2016-01-01/);
		await screenshot(b.page, 'actors-relationship-mapped');

		// The network as of 2017: the actor and Peshmerga, linked, drawn.
		await b.page.goto(`${baseUrl}/network?focus=${actorId}&hops=1&as_of=2017-06-01`);
		const canvas = b.page.locator('canvas[data-edges]');
		await expect.poll(() => canvas.getAttribute('data-edges')).toBe('1');
		expect(await canvas.getAttribute('data-nodes')).toBe('2');
		// Coordination is drawn in green (#2ca25f, translucent), the supportive actor in blue (#0072b2).
		await waitForPixels(
			canvas,
			(img) => img.count(([r, g, bl]) => g > r + 40 && g > bl + 20) > 20,
			{ name: 'network-coordination' }
		);
		await waitForPixels(
			canvas,
			(img) => img.count(([r, g, bl]) => r < 20 && g > 95 && g < 130 && bl > 160) > 20,
			{ name: 'network-supportive-node' }
		);
		await screenshot(b.page, 'actors-network-2017');
		// Before the relationship began: the actor alone.
		await b.page.goto(`${baseUrl}/network?focus=${actorId}&hops=1&as_of=2015-06-01`);
		await expect.poll(() => canvas.getAttribute('data-edges')).toBe('0');

		// Peshmerga present in Duhok district: both ends now have a place, so the map gets an arc.
		const pesh = (await (await http('/api/v1/actors?q=peshmerga', { cookie })).json()).actors[0];
		await b.page.goto(`${baseUrl}/actors/${pesh.id}`);
		await b.page.locator('#p-area').selectOption({ label: '— Duhok' });
		await b.page.locator('form[action="?/addPresence"] button').click();
		await b.page.locator('ul.plain li', { hasText: 'Duhok' }).first().waitFor();
		const arcs = await (
			await http('/api/v1/actors/arcs?as_of=2017-06-01&kind=coordination', { cookie })
		).json();
		expect(
			arcs.some(
				(a: unknown[]) =>
					(a[7] === NAME && a[8] === 'Peshmerga') || (a[7] === 'Peshmerga' && a[8] === NAME)
			)
		).toBe(true);
		const before = await (
			await http('/api/v1/actors/arcs?as_of=2015-06-01&kind=coordination', { cookie })
		).json();
		expect(before.some((a: unknown[]) => a[7] === NAME || a[8] === NAME)).toBe(false);
	});

	it('answers the relationships API as of a date, with 400 naming a bad parameter', async () => {
		const r = await http('/api/v1/relationships?as_of=2017-06-01&kind=coordination', { cookie });
		expect(r.status).toBe(200);
		const body = await r.json();
		expect(
			body.relationships.some((x: { source_name: string; target_name: string }) =>
				[x.source_name, x.target_name].includes(NAME)
			)
		).toBe(true);
		const bad = await http('/api/v1/relationships?as_of=2017-02-30', { cookie });
		expect(bad.status).toBe(400);
		expect((await bad.json()).parameter).toBe('as_of');
	});
});
