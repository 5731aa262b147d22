/**
 * Briefing packs as people use them: an analyst writes a pack for a base through the form, top to
 * bottom, and makes it final (read back through the API field by field); the PDF of the pack,
 * read with pdftotext, names a restricted emergency contact for the analyst and not for a
 * viewer (need-to-know in the PDF too); a viewer on a phone, in Arabic, records "read and
 * understood", which the analyst then sees with the version and the time. Screens at 1366 and
 * 390 px, English and Arabic.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { e2e, http, sessionCookie, tempDir } from './helpers/server';
import { hydrated, openBrowser, screenshot, signIn } from './helpers/browser';

const { baseUrl } = e2e();
const dir = tempDir('terrain-e2e-briefings-');
const tag = randomBytes(3).toString('hex');
const RESTRICTED = `Rashid Interlocutor${tag}`;
const NORMAL = `Nadia Dutyofficer${tag}`;
const SHOTS = process.env.TERRAIN_SHOTS_DIR ?? '';

async function shot(page: Page, name: string) {
	const p = await screenshot(page, name);
	if (SHOTS) {
		mkdirSync(SHOTS, { recursive: true });
		copyFileSync(p, join(SHOTS, `${name}.png`));
	}
}
const pdfText = (bytes: ArrayBuffer, name: string) => {
	const file = join(dir, name);
	writeFileSync(file, new Uint8Array(bytes));
	return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
};
const overflow = (page: Page) =>
	page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('briefing pack', () => {
	let analyst: string;
	let viewer: string;
	let id = '';
	let baseId = '';

	beforeAll(async () => {
		analyst = await sessionCookie('analyst');
		viewer = await sessionCookie('viewer');
		for (const [full_name, sensitivity] of [
			[RESTRICTED, 'restricted'],
			[NORMAL, 'normal']
		]) {
			const r = await http('/api/v1/contacts', {
				method: 'POST',
				cookie: analyst,
				body: { full_name, sensitivity, emergency: true, role_title: 'Emergency line' }
			});
			expect(r.status, await r.clone().text()).toBe(201);
		}
	});

	it('an analyst writes a pack top to bottom and makes it final; the API reads it back', async () => {
		const b = await openBrowser({ viewport: { width: 1366, height: 900 } });
		try {
			const { page } = b;
			await signIn(page, baseUrl, 'analyst');
			await page.goto(`${baseUrl}/briefings`);
			await hydrated(page);
			const create = page.getByTestId('briefing-new');
			baseId = (await create
				.locator('select[name="base_id"] option')
				.first()
				.getAttribute('value')) as string;
			await create.locator('select[name="base_id"]').selectOption(baseId);
			await create.locator('input[name="title"]').fill(`Arriving in the base ${tag}`);
			await create.locator('button').click();
			await page.waitForURL(/\/briefings\/[0-9a-f-]{36}$/);
			id = page.url().split('/').pop()!;
			await hydrated(page);

			const edit = page.getByTestId('briefing-edit');
			await edit.locator('input[name="title"]').fill(`Welcome to the base ${tag}`);
			await edit.locator('select[name="status"]').selectOption('final');
			await edit.locator('input[name="classification"]').fill('Confidential');
			await edit
				.locator('textarea[name="narrative_en"]')
				.fill('Tensions **rose** in the district after the October offensive.');
			await edit
				.locator('textarea[name="narrative_ar"]')
				.fill('ارتفعت حدة التوتر في القضاء بعد هجوم تشرين الأول.');
			await edit.locator('textarea[name="customs_en"]').fill('Greet elders first; dress modestly.');
			await edit.locator('button:not([type="button"])').click();
			await expect
				.poll(() => page.getByRole('status').first().textContent())
				.toMatch(/Saved: version 2/);
			// the editor folded away as the pack became final: the answer is brought into sight and
			// focused, so a screen reader reads it and a sighted person sees it
			const answer = page.getByTestId('briefing-save-answer');
			await expect
				.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
				.toBe('briefing-save-answer');
			expect(
				await answer.evaluate((e) => {
					const r = e.getBoundingClientRect();
					return r.top >= 0 && r.bottom <= innerHeight;
				})
			).toBe(true);
			await expect
				.poll(() => page.locator('[data-testid="briefing-narrative"] strong').textContent())
				.toBe('rose');
			await page.locator('[data-print-ready]').waitFor({ state: 'attached' });
			await shot(page, 'briefing-1366-en');
			await page.setViewportSize({ width: 390, height: 844 });
			await shot(page, 'briefing-390-en');

			// Read back as the viewer, field by field: the pack and what was compiled for them.
			const v = await (await http(`/api/v1/briefings/${id}`, { cookie: viewer })).json();
			expect(v.pack).toMatchObject({
				id,
				base_id: baseId,
				title: `Welcome to the base ${tag}`,
				status: 'final',
				version: 2,
				classification: 'Confidential',
				narrative: {
					en: 'Tensions **rose** in the district after the October offensive.',
					ar: 'ارتفعت حدة التوتر في القضاء بعد هجوم تشرين الأول.',
					ku: '',
					fr: ''
				},
				customs: { en: 'Greet elders first; dress modestly.', ar: '', ku: '', fr: '' }
			});
			expect(v.contacts).toBeNull();
			expect(v.contacts_hidden).toBe(true);
			expect(v.scale).toHaveLength(5);
			const a = await (await http(`/api/v1/briefings/${id}`, { cookie: analyst })).json();
			const names = a.contacts.map((c: { full_name: string }) => c.full_name);
			expect(names).toEqual(expect.arrayContaining([RESTRICTED, NORMAL]));
		} finally {
			await b.close();
		}
	}, 240_000);

	it('prints need-to-know: the analyst’s PDF names the restricted contact, the viewer’s does not', async () => {
		const ra = await http(`/api/v1/briefings/${id}?format=pdf`, { cookie: analyst });
		expect(ra.status).toBe(200);
		expect(ra.headers.get('content-type')).toBe('application/pdf');
		const ta = pdfText(await ra.arrayBuffer(), 'analyst.pdf');
		expect(ta).toContain(RESTRICTED);
		expect(ta).toContain(NORMAL);
		expect(ta).toMatch(/CONFIDENTIAL — /);
		expect(ta).toContain('Greet elders first');

		const rv = await http(`/api/v1/briefings/${id}?format=pdf&second=ar`, { cookie: viewer });
		expect(rv.headers.get('content-type')).toBe('application/pdf');
		const tv = pdfText(await rv.arrayBuffer(), 'viewer.pdf');
		expect(tv).toContain(`Welcome to the base ${tag}`);
		expect(tv).toContain('need-to-know');
		expect(tv).not.toContain(`Interlocutor${tag}`);
		expect(tv).not.toContain(`Dutyofficer${tag}`);
	}, 240_000);

	it('a viewer on a phone, in Arabic, records "read and understood"; the analyst sees who and when', async () => {
		const b = await openBrowser({ viewport: { width: 390, height: 844 }, locale: 'ar' });
		try {
			const { page } = b;
			await signIn(page, baseUrl, 'viewer');
			await page.goto(`${baseUrl}/briefings/${id}`);
			expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
			await page.locator('[data-print-ready]').waitFor({ state: 'attached' });
			await shot(page, 'briefing-390-ar');
			expect(await overflow(page)).toBeLessThanOrEqual(0);
			await page.getByTestId('briefing-ack').locator('button').click();
			await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/2/);
			await shot(page, 'briefing-390-ar-acknowledged');
		} finally {
			await b.close();
		}
		const acks = await (
			await http(`/api/v1/briefings/${id}/acknowledgements`, { cookie: analyst })
		).json();
		expect(acks).toHaveLength(1);
		expect(acks[0]).toMatchObject({ version: 2, language: 'ar', current: true });
		expect(Date.now() - Date.parse(acks[0].acknowledged_at)).toBeLessThan(10 * 60_000);
		const list = await (await http('/api/v1/briefings', { cookie: viewer })).json();
		expect(list.find((p: { id: string }) => p.id === id)).toMatchObject({
			acknowledged: true,
			version: 2
		});
	}, 240_000);

	it('reads at 1366 px in Arabic and 390 px in English', async () => {
		for (const [w, h, locale, who] of [
			[1366, 900, 'ar', 'analyst'],
			[390, 844, 'en-GB', 'viewer']
		] as const) {
			const b = await openBrowser({ viewport: { width: w, height: h }, locale });
			try {
				await signIn(b.page, baseUrl, who);
				await b.page.goto(`${baseUrl}/briefings/${id}`);
				await b.page.locator('[data-print-ready]').waitFor({ state: 'attached' });
				expect(await overflow(b.page)).toBeLessThanOrEqual(0);
				await shot(b.page, `briefing-${w}-${locale.slice(0, 2)}`);
				await b.page.goto(`${baseUrl}/briefings`);
				await shot(b.page, `briefings-list-${w}-${locale.slice(0, 2)}`);
			} finally {
				await b.close();
			}
		}
	}, 240_000);
});
