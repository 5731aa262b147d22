/**
 * A saved assessment reopened as people do it: an analyst saves Sinjar district's profile, opens
 * it from the list on /assess, changes its title and notes through the form (the notes show as
 * Markdown, a script in them does not run), runs it again after a new incident there and reads
 * what changed (incidents before → after), then finalises it. Every field is read back through
 * the API. A viewer then opens the final assessment: no edit form. Screens at 1280 and 390 px,
 * English and Arabic.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { e2e, http, sessionCookie } from './helpers/server';
import { openBrowser, signIn } from './helpers/browser';
import { overflow, shot } from './helpers/documents';

const { baseUrl } = e2e();
const SINJAR = 'IQG15Q07';
const tag = randomBytes(3).toString('hex');
const TITLE = `Sinjar reopened ${tag}`;
const RENAMED = `Sinjar, north road ${tag}`;

describe('a saved assessment reopened', () => {
	let id = '';

	it('an analyst opens it from the list, edits it, runs it again and finalises it', async () => {
		const analyst = await sessionCookie('analyst');
		const made = await http('/api/v1/assessments', {
			method: 'POST',
			cookie: analyst,
			body: { title: TITLE, query: { area: SINJAR }, notes: 'first notes' }
		});
		expect(made.status, await made.clone().text()).toBe(201);
		const saved = await made.json();
		id = saved.id;
		const before = saved.snapshot.incidents.total as number;

		const b = await openBrowser({ viewport: { width: 1280, height: 900 } });
		try {
			const { page } = b;
			page.setDefaultTimeout(90_000);
			await signIn(page, baseUrl, 'analyst');
			await page.goto(`${baseUrl}/assess`);
			await page
				.locator(`[data-testid="saved-list"] li[data-id="${id}"]`)
				.getByRole('link', { name: TITLE })
				.click();
			await page.waitForURL(`**/assess/${id}`);
			expect(await page.getByTestId('assessment-title').textContent()).toBe(TITLE);
			expect(await page.getByTestId('assessment-meta').getAttribute('data-status')).toBe('draft');
			expect(await page.getByTestId('incidents-total').textContent()).toMatch(
				new RegExp(`^\\s*${before.toLocaleString('en-GB')}\\s*$`)
			);

			// Edit the title and the notes as a person does: the Edit button, the fields, Save.
			await page.getByTestId('edit').click();
			const f = page.getByTestId('edit-form');
			await f.getByLabel('Title').fill(RENAMED);
			await f
				.getByLabel('Analyst notes (Markdown)')
				.fill('Road **closed** at night.\n\n<script>window.pwned = 1</script>\n\n- item one');
			await f.getByRole('button', { name: 'Save' }).click();
			await expect.poll(() => page.getByTestId('assessment-title').textContent()).toBe(RENAMED);
			const notes = page.getByTestId('notes');
			await expect.poll(() => notes.locator('strong').textContent()).toBe('closed');
			expect(await notes.locator('li').textContent()).toBe('item one');
			expect(await notes.locator('script').count()).toBe(0);
			expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();

			// A new incident in Sinjar town, then "Run again": before → after.
			const inc = await http('/api/v1/incidents/report', {
				method: 'POST',
				cookie: analyst,
				body: {
					event_date: '2016-10-20',
					event_type: 'battles',
					coordinates: '36.3209, 41.8754',
					notes: `reopen test ${tag}`
				}
			});
			expect(inc.status, await inc.clone().text()).toBe(201);
			await page.getByTestId('rerun').click();
			const change = page.locator('[data-testid="changes"] [data-key="incidents.total"]');
			await expect
				.poll(() => change.getAttribute('data-after'), { timeout: 60_000 })
				.toBe(String(before + 1));
			expect(await change.getAttribute('data-before')).toBe(String(before));
			expect(await change.textContent()).toMatch(
				new RegExp(`Incidents, all time: ${before.toLocaleString('en-GB')}\\s*→\\s*`)
			);
			await shot(page, 'assess-reopen-1280-en');

			await page.getByTestId('finalise').click();
			await expect
				.poll(() => page.getByTestId('assessment-meta').getAttribute('data-status'))
				.toBe('final');
			await expect(page.getByTestId('edit').count()).resolves.toBe(0);
			await page.setViewportSize({ width: 390, height: 844 });
			expect(await overflow(page)).toBeLessThanOrEqual(1);
			await shot(page, 'assess-reopen-390-en');
			expect(b.requests.errors).toEqual([]);
		} finally {
			await b.close();
		}

		const a = await (await http(`/api/v1/assessments/${id}`, { cookie: analyst })).json();
		expect(a).toMatchObject({
			id,
			title: RENAMED,
			status: 'final',
			notes: 'Road **closed** at night.\n\n<script>window.pwned = 1</script>\n\n- item one',
			query: { area: SINJAR },
			author_name: saved.author_name
		});
		expect(a.finalised_at).toBeTruthy();
		// Run again leaves the saved figures as they were.
		expect(a.snapshot.incidents.total).toBe(before);
		expect(a.snapshot_at).toBe(saved.snapshot_at);
	}, 300_000);

	it('a viewer reads the final assessment, in Arabic, and cannot edit it', async () => {
		const b = await openBrowser({ viewport: { width: 390, height: 844 }, locale: 'ar' });
		try {
			const { page } = b;
			page.setDefaultTimeout(90_000);
			await signIn(page, baseUrl, 'viewer');
			await page.goto(`${baseUrl}/assess/${id}`);
			await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('rtl');
			expect(await page.getByTestId('assessment-title').textContent()).toBe(RENAMED);
			await expect(page.getByTestId('edit').count()).resolves.toBe(0);
			await expect(page.getByTestId('finalise').count()).resolves.toBe(0);
			expect(
				await page
					.getByTestId('back-link')
					.locator('.arrow')
					.evaluate((e) => getComputedStyle(e).transform)
			).toMatch(/^matrix\(-1,/);
			expect(await overflow(page)).toBeLessThanOrEqual(1);
			await shot(page, 'assess-reopen-390-ar');
			await page.setViewportSize({ width: 1280, height: 900 });
			await shot(page, 'assess-reopen-1280-ar');
		} finally {
			await b.close();
		}
	}, 300_000);
});
