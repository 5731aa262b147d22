/**
 * A movement's page in Arabic: its time arrows (departure → return in the header, and an access
 * authorisation's valid from → valid to) point along the reading direction, right to left. A plain
 * "→" is laid out right to left by the bidi algorithm but not mirrored, so on an Arabic page it
 * would point back at the departure; ReadingArrow turns it round there. Checked as the page is
 * drawn: the departure stands to the right of the arrow and the return to its left, and the arrow
 * is turned (scaleX(-1)); in English, the other way round and not turned. 1280 and 390 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { openBrowser, screenshot, signIn, type TestBrowser } from './helpers/browser.ts';
import { e2e, http, sessionCookie } from './helpers/server.ts';

const ROUTE = {
	type: 'LineString',
	coordinates: [
		[43.0, 36.867],
		[42.95, 36.85]
	]
};
const iso = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Where the text just before and just after the arrow is drawn, the arrow's own box, and whether
 * CSS turns it round.
 */
const layout = (arrow: Locator) =>
	arrow.evaluate((el) => {
		const box = (n: Node | null) => {
			if (!n) return null;
			const r = document.createRange();
			r.selectNodeContents(n);
			const b = r.getBoundingClientRect();
			return { left: b.left, right: b.right };
		};
		const textBefore = (n: Node) => {
			let p = n.previousSibling;
			while (p && (p.nodeType === Node.COMMENT_NODE || !(p.textContent ?? '').trim()))
				p = p.previousSibling;
			return p;
		};
		const textAfter = (n: Node) => {
			let p = n.nextSibling;
			while (p && (p.nodeType === Node.COMMENT_NODE || !(p.textContent ?? '').trim()))
				p = p.nextSibling;
			return p;
		};
		const a = el.getBoundingClientRect();
		return {
			before: box(textBefore(el)),
			after: box(textAfter(el)),
			arrow: { left: a.left, right: a.right },
			transform: getComputedStyle(el).transform
		};
	});

describe('movement time arrows follow the reading direction', () => {
	const open: TestBrowser[] = [];
	let id = '';
	let district = '';

	beforeAll(async () => {
		const admin = await sessionCookie('admin');
		const analyst = await sessionCookie('analyst');
		// the district the route lies in needs an authorisation, and the organisation holds one
		const risk = await (
			await http('/api/v1/movements/risk', {
				method: 'POST',
				cookie: admin,
				body: { route: ROUTE }
			})
		).json();
		district = (risk.areas as { pcode: string; admin_level: number }[]).find(
			(a) => a.admin_level === 2
		)!.pcode;
		const s = await http('/api/v1/movements/settings', {
			method: 'PATCH',
			cookie: admin,
			body: { authorisation_pcodes: [district] }
		});
		expect(s.status, await s.clone().text()).toBe(200);
		const auth = await http('/api/v1/access-authorisations', {
			method: 'POST',
			cookie: analyst,
			body: {
				kind: 'permit',
				holder_type: 'organisation',
				pcode: district,
				issued_by_name: 'Dohuk Governorate',
				valid_from: iso(new Date(Date.now() - 10 * 86400_000)),
				valid_to: iso(new Date(Date.now() + 60 * 86400_000)),
				reference: 'DG/2026/17'
			}
		});
		expect(auth.status, await auth.clone().text()).toBe(201);
		const m = await http('/api/v1/movements', {
			method: 'POST',
			cookie: analyst,
			body: {
				purpose: 'Arrow check visit',
				departure_at: new Date(Date.now() + 24 * 3600_000).toISOString(),
				return_at: new Date(Date.now() + 30 * 3600_000).toISOString(),
				route: ROUTE,
				team: [{ name: 'Driver Azad', role: 'driver' }],
				vehicles: [],
				stops: []
			}
		});
		expect(m.status, await m.clone().text()).toBe(201);
		id = ((await m.json()) as { id: string }).id;
	});
	afterAll(async () => {
		await http('/api/v1/movements/settings', {
			method: 'PATCH',
			cookie: await sessionCookie('admin'),
			body: { authorisation_pcodes: [] }
		});
		for (const b of open) await b.close();
	});

	async function arrows(b: TestBrowser, lang: 'ar' | 'en') {
		const { baseUrl } = e2e();
		await b.context.addCookies([{ name: 'terrain_lang', value: lang, url: baseUrl }]);
		await b.page.goto(`${baseUrl}/movements/${id}`);
		await expect
			.poll(() => b.page.locator('html').getAttribute('dir'))
			.toBe(lang === 'ar' ? 'rtl' : 'ltr');
		const time = b.page.getByTestId('time-arrow');
		await time.waitFor();
		const valid = b.page.getByTestId('authorisations').locator('td .arrow').first();
		await valid.waitFor({ timeout: 30_000 });
		expect(await b.page.getByTestId('authorisations').textContent()).toContain('DG/2026/17');
		return { time: await layout(time), valid: await layout(valid) };
	}

	/** from → to in reading order: the arrow between them, and turned on a right-to-left page */
	function reads(l: Awaited<ReturnType<typeof layout>>, rtl: boolean) {
		expect(l.before && l.after).toBeTruthy();
		if (rtl) {
			expect(l.before!.left).toBeGreaterThanOrEqual(l.arrow.right - 1);
			expect(l.after!.right).toBeLessThanOrEqual(l.arrow.left + 1);
			expect(l.transform).toMatch(/^matrix\(-1,/);
		} else {
			expect(l.before!.right).toBeLessThanOrEqual(l.arrow.left + 1);
			expect(l.after!.left).toBeGreaterThanOrEqual(l.arrow.right - 1);
			expect(l.transform).toBe('none');
		}
	}

	it('in Arabic at 1280 px, the arrows point right to left; in English, left to right', async () => {
		const { baseUrl } = e2e();
		const b = await openBrowser({ viewport: { width: 1280, height: 900 } });
		open.push(b);
		await signIn(b.page, baseUrl, 'analyst');
		const ar = await arrows(b, 'ar');
		reads(ar.time, true);
		reads(ar.valid, true);
		await screenshot(b.page, 'movement-arrows-1280-ar');
		const en = await arrows(b, 'en');
		reads(en.time, false);
		reads(en.valid, false);
	});

	it('on a phone in Arabic (390 px), the header arrow points right to left', async () => {
		const { baseUrl } = e2e();
		const b = await openBrowser({ viewport: { width: 390, height: 844 } });
		open.push(b);
		await signIn(b.page, baseUrl, 'analyst');
		const ar = await arrows(b, 'ar');
		// a narrow line may wrap between the times: the arrow is turned either way
		expect(ar.time.transform).toMatch(/^matrix\(-1,/);
		expect(ar.valid.transform).toMatch(/^matrix\(-1,/);
		await screenshot(b.page, 'movement-arrows-390-ar');
	});
});
