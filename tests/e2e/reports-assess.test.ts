/**
 * Area assessment and site selection as an analyst does it: compile Sinjar district's profile on
 * /assess, whose incident figures equal an independent count (GET /api/v1/incidents/counts, the
 * list's SQL, not the profile's), as Tel Afar's do (its region-level incidents, whose centre point
 * falls in the district, are reported as not counted); save it, finalise it, then compare it with Tel Afar district:
 * the table's figures are each area's own, the weights' parts add up to the score, and weights
 * that sum to zero say so. Screens at 1366 (English) and 390 px (Arabic).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { e2e, http, sessionCookie } from './helpers/server';
import { openBrowser, signIn } from './helpers/browser';
import { flat, overflow, shot } from './helpers/documents';

const { baseUrl } = e2e();
const SINJAR = 'IQG15Q07';
const TELAFAR = 'IQG15Q08';
const tag = randomBytes(3).toString('hex');
const TITLE = `Sinjar district ${tag}`;

interface Counts {
	total: number;
	by_year: Record<string, number>;
}
const num = (s: string | null) =>
	Number(
		flat(s ?? '')
			.replace(/,/g, '')
			.match(/-?\d+(\.\d+)?/)?.[0]
	);
async function profileOnScreen(page: Page, pcode: string) {
	await page.getByTestId('area-select').selectOption(pcode);
	await page.getByTestId('run').click();
	await page.getByTestId('profile').waitFor({ timeout: 60_000 });
}

describe('area assessment', () => {
	it('Sinjar’s profile equals the independent counts; saved, final, compared with Tel Afar', async () => {
		const analyst = await sessionCookie('analyst');
		const counts = async (pcode: string) =>
			(await (
				await http(`/api/v1/incidents/counts?area=${pcode}`, { cookie: analyst })
			).json()) as Counts;
		const profile = async (pcode: string) =>
			(await http(`/api/v1/assessments/profile?area=${pcode}`, { cookie: analyst })).json();
		// The incident list's own answer (GET /api/v1/incidents: its total, whatever the page size).
		const listed = async (pcode: string) =>
			(
				(await (
					await http(`/api/v1/incidents?area=${pcode}&limit=1`, { cookie: analyst })
				).json()) as { total: number }
			).total;
		const [cs, ct, ps, pt, ls, lt] = await Promise.all([
			counts(SINJAR),
			counts(TELAFAR),
			profile(SINJAR),
			profile(TELAFAR),
			listed(SINJAR),
			listed(TELAFAR)
		]);
		expect(cs.total).toBeGreaterThan(0);
		expect(ct.total).toBeGreaterThan(0);
		// An admin area's profile counts what the list's area filter counts (placed in it by
		// P-code): equal. Before issue 12's fix Tel Afar's profile said 385 (point-in-polygon,
		// with 192 governorate- and region-level incidents whose centre point lies in Tel Afar)
		// against the list's 193.
		expect(ps.incidents.total).toBe(cs.total);
		expect(pt.incidents.total).toBe(ct.total);
		expect(ps.incidents.total).toBe(ls);
		expect(pt.incidents.total).toBe(lt);
		expect(pt.incidents.counted_by).toBe('area_pcode');
		expect(pt.incidents.coarser_not_counted.total).toBeGreaterThan(0);
		expect(pt.incidents.coarser_not_counted.by_precision['3']).toBe(
			pt.incidents.coarser_not_counted.total
		);
		// The API shape.
		for (const p of [ps, pt]) {
			expect(p.incidents.total).toBe(
				Object.values(p.incidents.by_year as Record<string, number>).reduce((a, n) => a + n, 0)
			);
			expect(typeof p.camps.count).toBe('number');
			expect(typeof p.camps.population).toBe('number');
			expect(typeof p.health_facilities.count).toBe('number');
			expect(Array.isArray(p.checkpoints)).toBe(true);
			expect(Array.isArray(p.actors)).toBe(true);
		}

		const b = await openBrowser({ viewport: { width: 1366, height: 900 } });
		try {
			const { page } = b;
			page.setDefaultTimeout(90_000);
			await signIn(page, baseUrl, 'analyst');
			await page.goto(`${baseUrl}/assess`);
			await page.locator('#a-area').waitFor();
			await page.waitForFunction(() =>
				document.querySelector('[data-testid="area-select"] option[value="IQG15Q07"]')
			);
			// The page's own answer, after hydration (the select is bound).
			await expect
				.poll(
					async () => {
						await profileOnScreen(page, SINJAR).catch(() => {});
						return page
							.getByTestId('profile')
							.getAttribute('data-total')
							.catch(() => null);
					},
					{ timeout: 120_000 }
				)
				.toBe(String(ps.incidents.total));
			expect(num(await page.getByTestId('incidents-total').textContent())).toBe(ps.incidents.total);
			expect(await page.getByTestId('camps').textContent()).toContain(
				ps.camps.count.toLocaleString('en-GB')
			);
			await shot(page, 'assess-1366-en');

			// Save it as a draft, then finalise it in the list.
			const save = page.getByTestId('save-form');
			await save.locator('#s-title').fill(TITLE);
			await save.locator('#s-notes').fill('Candidate for a **field office**.');
			await save.locator('button').click();
			await expect.poll(() => page.getByTestId('saved').count()).toBe(1);
			const list = await (await http('/api/v1/assessments', { cookie: analyst })).json();
			const saved = (list as { id: string; title: string }[]).find((a) => a.title === TITLE);
			expect(saved).toBeTruthy();
			const item = page.locator(`[data-testid="saved-list"] li[data-id="${saved!.id}"]`);
			await item.getByRole('button', { name: 'Finalise' }).click();
			await expect.poll(() => item.textContent()).toContain('final');
			const a = await (await http(`/api/v1/assessments/${saved!.id}`, { cookie: analyst })).json();
			expect(a).toMatchObject({
				id: saved!.id,
				title: TITLE,
				status: 'final',
				notes: 'Candidate for a **field office**.',
				query: { area: SINJAR }
			});
			expect(a.snapshot.incidents.total).toBe(ps.incidents.total);
			expect(a.snapshot.incidents.by_year).toEqual(ps.incidents.by_year);

			// Compare the saved Sinjar with Tel Afar district.
			const cmp = page.getByTestId('compare');
			await cmp.getByTestId('compare-pick').selectOption(`saved:${saved!.id}`);
			await cmp.getByTestId('compare-add').click();
			await expect.poll(() => cmp.locator('thead th').count()).toBe(2);
			await cmp.getByTestId('compare-pick').selectOption(`area:${TELAFAR}`);
			await cmp.getByTestId('compare-add').click();
			await expect.poll(() => cmp.getByTestId('score').count()).toBe(2);
			const heads = await cmp.locator('thead th').allTextContents();
			expect(heads[1]).toContain(TITLE);
			expect(heads[2]).toContain('Telafar');
			// Camp population served: each column is its own area's figure.
			const campRow = cmp.locator('tbody tr').nth(4);
			expect(await campRow.locator('th').textContent()).toBe('Camp population served');
			const cells = await campRow.locator('td').allTextContents();
			expect(cells.map((c) => num(c.split('+')[0]))).toEqual([
				ps.camps.population,
				pt.camps.population
			]);
			// Each score is the sum of its parts.
			for (const col of [0, 1]) {
				const parts = await cmp
					.locator(`tbody tr:not(.score) td:nth-of-type(${col + 1}) .part`)
					.allTextContents();
				const sum = parts.reduce((s, p) => s + num(p), 0);
				const score = num(await cmp.getByTestId('score').nth(col).textContent());
				expect(Math.abs(sum - score)).toBeLessThan(0.35);
			}
			await shot(page, 'assess-compare-1366-en');
			for (const w of await cmp.locator('input[data-weight]').all()) await w.fill('0');
			await expect.poll(() => cmp.getByTestId('weights-error').textContent()).toMatch(/zero/i);
			expect(b.requests.errors).toEqual([]);
		} finally {
			await b.close();
		}
	}, 360_000);

	it('a phone in Arabic compiles the profile too', async () => {
		const b = await openBrowser({ viewport: { width: 390, height: 844 }, locale: 'ar' });
		try {
			const { page } = b;
			page.setDefaultTimeout(90_000);
			await signIn(page, baseUrl, 'analyst');
			await page.goto(`${baseUrl}/assess`);
			await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('rtl');
			await expect
				.poll(
					async () => {
						await profileOnScreen(page, TELAFAR).catch(() => {});
						return page.getByTestId('profile').count();
					},
					{ timeout: 120_000 }
				)
				.toBe(1);
			// Tel Afar's coarse incidents: said, in Arabic, with the API's number.
			const analyst = await sessionCookie('analyst');
			const pt = await (
				await http(`/api/v1/assessments/profile?area=${TELAFAR}`, { cookie: analyst })
			).json();
			const note = page.getByTestId('not-counted');
			expect(await note.getAttribute('data-n')).toBe(
				String(pt.incidents.coarser_not_counted.total)
			);
			expect(await note.textContent()).toContain('غير محتسبة');
			expect(await overflow(page)).toBeLessThanOrEqual(1);
			await shot(page, 'assess-390-ar');
		} finally {
			await b.close();
		}
	}, 300_000);
});
